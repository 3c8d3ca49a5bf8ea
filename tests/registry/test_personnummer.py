"""registry.personnummer: pure, no database."""

import datetime

import pytest

from registry import personnummer as pnr

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    "value",
    [
        "19811218-9876",
        "198112189876",
        "811218-9876",
        "8112189876",
        " 811218 9876 ",
    ],
)
def test_valid_forms_normalise_to_twelve_digits(value):
    parsed = pnr.parse(value, today=TODAY)
    assert parsed.digits == "198112189876"
    assert parsed.birth_date == datetime.date(1981, 12, 18)
    assert not parsed.is_coordination_number


def test_plus_sign_marks_someone_a_hundred_or_older():
    assert pnr.parse("811218+9876", today=TODAY).birth_date == datetime.date(1881, 12, 18)


def test_plus_sign_is_refused_in_the_twelve_digit_form():
    with pytest.raises(pnr.InvalidPersonnummer, match="Plustecken"):
        pnr.parse("19811218+9876", today=TODAY)


@pytest.mark.parametrize("value", ["811218-9875", "198112189870", "8112189871"])
def test_bad_check_digit_is_refused(value):
    with pytest.raises(pnr.InvalidPersonnummer, match="Kontrollsiffran"):
        pnr.parse(value, today=TODAY)


@pytest.mark.parametrize(
    "birth",
    ["20070230", "20071301", "20070000", "20060229", "20070431"],
)
def test_impossible_date_is_refused(birth):
    first_eleven = f"{birth}980"
    digits = first_eleven + str(pnr.luhn_check_digit(first_eleven[2:]))
    with pytest.raises(pnr.InvalidPersonnummer, match="Datumet"):
        pnr.parse(digits, today=TODAY)


def test_leap_day_is_a_real_date():
    digits = pnr.synthetic(datetime.date(2008, 2, 29), 0)
    assert pnr.parse(digits, today=TODAY).birth_date == datetime.date(2008, 2, 29)


def test_samordningsnummer_has_day_plus_sixty():
    parsed = pnr.parse("701063-2391", today=TODAY)
    assert parsed.is_coordination_number
    assert parsed.birth_date == datetime.date(1970, 10, 3)
    assert parsed.digits == "197010632391"


def test_samordningsnummer_of_this_year_keeps_its_century():
    # Born 3 November this year: day 63 must be read as the 3rd, not as a future day.
    digits = pnr.synthetic(datetime.date(2026, 11, 3), 4, coordination=True)
    parsed = pnr.parse(digits[2:8] + "-" + digits[8:], today=TODAY)
    assert parsed.birth_date == datetime.date(2026, 11, 3)


def test_samordningsnummer_with_impossible_day_is_refused():
    first_eleven = "20070192980"  # day 92 - 60 = 32
    with pytest.raises(pnr.InvalidPersonnummer, match="Datumet"):
        pnr.parse(first_eleven + str(pnr.luhn_check_digit(first_eleven[2:])), today=TODAY)


def test_ten_digit_form_takes_the_latest_century_not_in_the_future():
    born_2008 = pnr.synthetic(datetime.date(2008, 5, 17), 0)
    assert pnr.parse(born_2008[2:], today=TODAY).birth_date == datetime.date(2008, 5, 17)
    # Later this year than today: the last century.
    later_this_year = pnr.synthetic(datetime.date(1926, 12, 1), 0)
    assert pnr.parse(later_this_year[2:], today=TODAY).birth_date == datetime.date(1926, 12, 1)


def test_future_birth_date_is_refused_in_the_twelve_digit_form():
    future = pnr.synthetic(datetime.date(2027, 1, 5), 0)
    with pytest.raises(pnr.InvalidPersonnummer, match="framtiden"):
        pnr.parse(future, today=TODAY)


@pytest.mark.parametrize(
    "value", ["", "12345", "1981121898765", "19811218_9876", "abcdefghij", "811218--9876"]
)
def test_wrong_length_or_characters_are_refused(value):
    with pytest.raises(pnr.InvalidPersonnummer, match="10 eller 12 siffror"):
        pnr.parse(value, today=TODAY)


def test_separator_in_wrong_place_is_refused():
    assert not pnr.is_valid("8112-189876", today=TODAY)


def test_mask_hides_the_last_four_digits():
    assert pnr.mask("198112189876") == "19811218-XXXX"
    assert pnr.parse("811218-9876", today=TODAY).masked == "19811218-XXXX"
    assert pnr.parse("811218-9876", today=TODAY).formatted == "19811218-9876"


@pytest.mark.parametrize("sequence", range(0, 45, 7))
def test_synthetic_numbers_are_valid_test_numbers(sequence):
    birth = datetime.date(2008, 5, 17)
    digits = pnr.synthetic(birth, sequence)
    parsed = pnr.parse(digits, today=TODAY)
    assert parsed.birth_date == birth
    assert 980 <= int(digits[8:11]) <= 999


def test_other_scripts_digits_are_refused():
    arabic_indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    digits = pnr.synthetic(datetime.date(2008, 5, 5), 0)
    with pytest.raises(pnr.InvalidPersonnummer):
        pnr.parse(digits.translate(arabic_indic), today=TODAY)


def test_ten_digit_samordningsnummer_with_plus_is_a_hundred_years_older():
    digits = pnr.synthetic(datetime.date(1918, 3, 4), 2, coordination=True)
    parsed = pnr.parse(f"{digits[2:8]}+{digits[8:]}", today=TODAY)
    assert parsed.digits == digits
    assert parsed.birth_date == datetime.date(1918, 3, 4)
    assert parsed.is_coordination_number


def test_leap_day_samordningsnummer():
    """Day 89 = 29 + 60: a real date in a leap year only."""
    digits = pnr.synthetic(datetime.date(2008, 2, 29), 4, coordination=True)
    assert digits[6:8] == "89"
    assert pnr.parse(digits, today=TODAY).birth_date == datetime.date(2008, 2, 29)
    first_eleven = "20090289980"
    with pytest.raises(pnr.InvalidPersonnummer, match="finns inte"):
        pnr.parse(first_eleven + str(pnr.luhn_check_digit(first_eleven[2:])), today=TODAY)
