import pytest

from attendees.domains import candidate_domains, email_domain, normalise_domain


def test_candidates_climb_label_by_label_and_stop_before_the_tld():
    assert candidate_domains("a.ccb.hkpf.example") == [
        "a.ccb.hkpf.example",
        "ccb.hkpf.example",
        "hkpf.example",
    ]
    assert candidate_domains("hkpf.example") == ["hkpf.example"]


def test_email_domain_is_lower_case_without_trailing_dot():
    assert email_domain("Jo@CCB.HKPF.Example.") == "ccb.hkpf.example"


@pytest.mark.parametrize(
    "value,expected",
    [("@Police.Example.org", "police.example.org"), ("jo@fiu.example", "fiu.example")],
)
def test_normalise_accepts_domains_and_addresses(value, expected):
    assert normalise_domain(value) == expected


@pytest.mark.parametrize(
    "value", ["", "example", "http://x.example", "-bad.example", "a b.example"]
)
def test_normalise_refuses_what_is_not_a_domain(value):
    with pytest.raises(ValueError):
        normalise_domain(value)
