from verify.claims.models import Stance
from verify.lib import stances


def test_the_stance_enum_and_the_rule_groups_use_the_same_codes():
    assert set(Stance.values) == stances.ALL
    for group in (stances.AFFIRMING, stances.DISPUTING, stances.PARTY_DENIAL, stances.NAMING):
        assert group <= stances.ALL


def test_no_stance_both_affirms_and_disputes():
    assert not stances.AFFIRMING & stances.DISPUTING
