"""Fixtures shared by every app's tests: catalogues and personas."""

from pathlib import Path

import pytest

from onelicense.catalogue.models import CatalogueVersion
from onelicense.catalogue.services import catalogue_import

FIXTURES = Path(__file__).parent / "catalogue" / "tests" / "fixtures"
BEIJING = Path(__file__).parent / "catalogue" / "data" / "beijing.yaml"


@pytest.fixture
def small_catalogue(db: None) -> CatalogueVersion:
    """A published two-industry catalogue whose figures are computed by hand in the tests."""
    path = FIXTURES / "small.yaml"
    return catalogue_import(text=path.read_text("utf-8"), filename=path.name, publish=True)


@pytest.fixture
def beijing_catalogue(db: None) -> CatalogueVersion:
    """The shipped Beijing catalogue of 40 industries, published."""
    return catalogue_import(text=BEIJING.read_text("utf-8"), filename=BEIJING.name, publish=True)
