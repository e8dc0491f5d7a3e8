"""Phone numbers: parsed in the store's region (settings.PHONE_REGION), stored as E.164
(+13125550123), shown in the national format ((312) 555-0123). Pure: no ORM, no request.

A number is accepted when it is *possible* (the right length for its country): the fictional
555-01xx numbers the demo data and the tests use are possible but not "valid", and a real number
the library does not know yet must not be refused either."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat, ValidationResult

MAX_STORED = 20  # the seed's VARCHAR(20)

_REASONS = {
    ValidationResult.TOO_SHORT: "is too short for a phone number",
    ValidationResult.TOO_LONG: "is too long for a phone number",
    ValidationResult.INVALID_LENGTH: "does not have the right number of digits",
    ValidationResult.INVALID_COUNTRY_CODE: "starts with an unknown country code",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "needs its area code",
}


class PhoneError(ValueError):
    pass


def parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    """The number typed, in any format, or PhoneError with a message an associate understands."""
    shown = " ".join(text.split())
    try:
        number = phonenumbers.parse(shown, region)
    except phonenumbers.NumberParseException:
        raise PhoneError(f"“{shown}” is not a phone number. Type the digits, e.g. (312) 555-0123.") from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != ValidationResult.IS_POSSIBLE:
        why = _REASONS.get(reason, "is not a possible phone number")
        raise PhoneError(f"“{shown}” {why}. Type the whole number, e.g. (312) 555-0123.")
    return number


def canonical(text: str, region: str) -> str:
    """E.164, with `;ext=` when an extension was typed (RFC 3966's way of writing one)."""
    number = parse(text, region)
    stored = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if number.extension:
        stored = f"{stored};ext={number.extension}"
    if len(stored) > MAX_STORED:
        raise PhoneError("That extension is too long to keep with the number.")
    return stored


def display(stored: str | None, region: str) -> str:
    """The national format for numbers of the store's country, international for the others;
    anything unparseable (a number kept from before phones were checked) as it was stored."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, region)
    except phonenumbers.NumberParseException:
        return stored
    same_country = number.country_code == phonenumbers.country_code_for_region(region)
    return phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if same_country else PhoneNumberFormat.INTERNATIONAL
    )


def search_digits(text: str, region: str) -> str:
    """The digits to look for in the stored numbers, from whatever was typed: a number of the
    store's country loses its country code (+1 312… and 312… find the same customer)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    prefix = str(phonenumbers.country_code_for_region(region) or "")
    if prefix and text.strip().startswith("+") and digits.startswith(prefix):
        return digits[len(prefix) :]
    if prefix == "1" and len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    return digits
