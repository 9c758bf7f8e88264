import pytest

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.reports.models import Refresh
from onelicense.reports.services import figures_refresh
from onelicense.reports.tests.helpers import SINCE, UNTIL, History, history_build


@pytest.fixture
def history(completed: Application, applicant: User, clerk: User) -> History:
    return history_build(completed, applicant, clerk)


@pytest.fixture
def refreshed(history: History) -> Refresh:
    return figures_refresh(since=SINCE, today=UNTIL)
