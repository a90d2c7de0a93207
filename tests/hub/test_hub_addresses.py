"""Postcode formats per country and the address form's checks."""

from __future__ import annotations

import pytest

from deskhand.hub.addresses import read_address, tidy_postcode


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [("NL", "1015cs", "1015 CS"), ("NL", " 1015  CS ", "1015 CS"), ("DE", "10119", "10119"),
     ("DE", "01067", "01067"), ("SE", "11455", "114 55"), ("SE", "114 55", "114 55"),
     ("FR", "69002", "69002"), ("FR", "97400", "97400"), ("ES", "28013", "28013"),
     ("ES", "01001", "01001"), ("BE", "1000", "1000"), ("LU", "1234", "L-1234"),
     ("PT", "1100148", "1100-148"), ("PL", "00950", "00-950")],
)  # fmt: skip
def test_postcodes_are_accepted_and_written_the_local_way(
    country: str, typed: str, stored: str
) -> None:
    assert tidy_postcode(country, typed) == stored


@pytest.mark.parametrize(
    ("country", "typed"),
    [("NL", "0123 AB"), ("NL", "1015 SS"), ("NL", "1015"), ("DE", "00123"), ("DE", "1011"),
     ("DE", "101191"), ("SE", "01234"), ("SE", "1145"), ("FR", "96000"), ("FR", "6900"),
     ("ES", "53001"), ("ES", "00001"), ("BE", "0999"), ("BE", "10000"), ("US", "10001")],
)  # fmt: skip
def test_postcodes_of_the_wrong_shape_are_refused(country: str, typed: str) -> None:
    assert tidy_postcode(country, typed) is None


def test_address_form_reports_each_problem_by_field() -> None:
    address, errors = read_address({"name": " ", "line1": "x" * 201, "city": "Lyon",
                                    "postcode": "6900", "country": "FR"})  # fmt: skip
    assert address is None
    assert errors == {
        "name": "hub.address.error.required",
        "line1": "hub.address.error.too_long",
        "postcode": "hub.address.error.postcode",
    }


def test_control_characters_are_dropped() -> None:
    address, errors = read_address(
        {
            "name": "Ava\x00 J",
            "line1": "Main 1",
            "city": "Ams",
            "postcode": "1015CS",
            "country": "nl",
        }  # fmt: skip
    )
    assert errors == {}
    assert address is not None
    assert (address.name, address.postcode, address.country) == ("Ava J", "1015 CS", "NL")
