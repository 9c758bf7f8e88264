"""Reading and writing the catalogue file (YAML), with every check made before anything is saved.

`read_catalogue` turns a file into the canonical form (a dict with every default filled in) or
raises one DomainError listing each fault by file, entry and field, in Chinese. `write_catalogue`
turns the canonical form back into the file, omitting what equals a default, so that reading a
written file and writing it again gives the same bytes. The format is in docs/catalogue-format.md.
"""

from onelicense.catalogue.codec.reader import read_catalogue
from onelicense.catalogue.codec.spec import Canonical
from onelicense.catalogue.codec.writer import write_catalogue

__all__ = ["Canonical", "read_catalogue", "write_catalogue"]
