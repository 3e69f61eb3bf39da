"""The activity log: every workflow keeps who did what to which object, and when, in
one shape, and reads an object's entries back newest first."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.activity.models import ActivityEntry
from core.activity.selectors import activity_for, activity_for_each
from core.activity.services import activity_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("lga", is_staff=True)


def test_an_entry_keeps_who_what_and_on_which_object(staff):
    group = Group.objects.create(name="A workflow's object")
    entry = activity_record(
        group, "status_changed", description="Status: Open → Closed", user=staff, note="Done."
    )
    entry.refresh_from_db()
    assert entry.target == group
    assert (entry.verb, entry.description, entry.user) == (
        "status_changed",
        "Status: Open → Closed",
        staff,
    )
    assert entry.actor == "lga", "a user is named by their username"
    assert entry.note == "Done." and entry.detail == {"note": "Done."}
    assert entry.at is not None


def test_someone_without_an_account_is_named_by_a_label():
    group = Group.objects.create(name="A request")
    entry = activity_record(
        group, "confirmed", description="Email confirmed", actor="Requester at Adur"
    )
    assert entry.user is None and entry.actor == "Requester at Adur"
    assert entry.detail is None and entry.note == ""


def test_an_objects_entries_come_newest_first_and_only_its_own(staff):
    first, second = Group.objects.create(name="one"), Group.objects.create(name="two")
    activity_record(first, "made", description="Made", user=staff)
    activity_record(second, "made", description="Made the other", user=staff)
    activity_record(first, "closed", description="Closed", user=staff)
    assert [e.description for e in activity_for(first)] == ["Closed", "Made"]
    both = activity_for_each([first, second, staff])
    assert sorted(e.description for e in both) == ["Closed", "Made", "Made the other"]
    assert not activity_for_each([]).exists()


def test_several_objects_entries_are_read_in_one_query(staff, django_assert_num_queries):
    groups = [Group.objects.create(name=f"g{n}") for n in range(5)]
    for group in groups:
        activity_record(group, "made", description="Made", user=staff)
    activity_for_each(groups[:1]).count()  # the content type is cached from here on
    with django_assert_num_queries(1):
        entries = list(activity_for_each(groups))
        assert {e.user.username for e in entries} == {"lga"}
    assert len(entries) == 5


def test_the_log_has_one_key_to_its_object_always_set():
    fields = {f.name: f for f in ActivityEntry._meta.get_fields()}
    assert not fields["content_type"].null and not fields["object_id"].null
