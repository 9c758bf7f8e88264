"""The project's URLs with the baseline view in front (benchmark server only)."""

from onelicense.benchmarks.baseline import urlpatterns as baseline
from onelicense.urls import handler404  # noqa: F401 (Django reads it from the root URLconf)
from onelicense.urls import urlpatterns as project

urlpatterns = [*baseline, *project]
