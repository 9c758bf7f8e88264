"""The demo's supervision history is made through the services and leaves graded records."""

from onelicense.supervision.models import Assessment, Checklist, EnforcementAction, Inspection
from onelicense.supervision.samples import supervision_samples


def test_samples_for_a_certified_restaurant(restaurant, inspector, fire_inspector):
    supervision_samples(enterprises=[restaurant])
    assert Checklist.objects.count() == 40
    inspection = Inspection.objects.get()
    assert inspection.is_completed and not EnforcementAction.objects.exists()
    assert Assessment.objects.get(enterprise=restaurant).reasons[0]["code"] == "inspection_clean"
