"""Structure identifiers: normalisation and validation of every type Chorus Pro accepts.

Rules (reference §1.1): a SIRET passes the Luhn check (La Poste's establishments excepted,
whose digit sum is a multiple of 5) and belongs to France; ``UE_HORS_FRANCE`` carries the
intra-EU VAT number of a member state other than France; ``HORS_UE`` a country outside the EU;
no type other than SIRET may carry a SIRET. RIDET and TAHITI formats are checked loosely
(digits and letters, documented in docs/organisations.md) because no library validates them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva

from chorus.accounts.choices import IdentifierType

FRANCE = "FR"
# ISO 3166 codes of the EU member states (python-stdnum's list without "XI", Northern Ireland,
# which is a VAT prefix and not a country).
EU_COUNTRIES = frozenset(code.upper() for code in eu_vat.MEMBER_STATES if code != "xi")
# VAT prefixes that differ from the ISO country code.
VAT_PREFIX = {"GR": "EL"}

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_SEPARATORS = re.compile(r"[\s.\-/]+")
_FREE_IDENTIFIER = re.compile(r"^[A-Z0-9][A-Z0-9 .\-/_]{0,78}[A-Z0-9]$|^[A-Z0-9]$")
_RIDET = re.compile(r"^\d{6,7}(\d{3})?$")
_TAHITI = re.compile(r"^[A-Z0-9]{6}(\d{3})?$")


@dataclass(frozen=True)
class CheckedIdentifier:
    identifier_type: str
    identifier: str
    country: str


def compact(value: str) -> str:
    """Upper-case, without spaces, dots, dashes or slashes (accept "356 000 000 49837")."""
    return _SEPARATORS.sub("", value or "").upper()


def siret_is_valid(value: str) -> bool:
    """True when ``value`` is a valid SIRET, La Poste exception included."""
    return bool(fr_siret.is_valid(compact(value)))


def siret_build(siren8: str, establishment: str = "0001") -> str:
    """The valid SIRET of a SIREN's first 8 digits and a 4-digit establishment number.

    Both check digits (SIREN, then SIRET) are computed, for demo data, samples and benchmarks.
    """
    siren = siren8 + luhn.calc_check_digit(siren8)
    base = siren + establishment
    return base + luhn.calc_check_digit(base)


def siren_is_valid(value: str) -> bool:
    return bool(fr_siren.is_valid(compact(value)))


def identifier_check(*, identifier_type: str, identifier: str, country: str) -> CheckedIdentifier:
    """Return the normalised identifier and country, or raise ``ValidationError``.

    Errors are keyed by field ("identifier", "country") so that forms show them in place.
    """
    country = (country or "").strip().upper()
    if identifier_type == IdentifierType.SIRET:
        return _check_siret(identifier, country)
    if identifier_type == IdentifierType.EU_OUTSIDE_FRANCE:
        return _check_eu_vat(identifier, country)
    if identifier_type not in IdentifierType.values:
        raise ValidationError({"identifier_type": _("Unknown identifier type.")})
    if not country_is_known(country):
        raise ValidationError({"country": _("Choose a country.")})
    value = compact(identifier) if identifier_type in {"RIDET", "TAHITI"} else _free(identifier)
    if identifier_type == IdentifierType.RIDET:
        if country != "NC":
            raise ValidationError({"country": _("A RIDET belongs to New Caledonia (NC).")})
        if not _RIDET.match(value):
            raise ValidationError(
                {"identifier": _("A RIDET has 6 or 7 digits, optionally followed by 3 digits.")}
            )
    elif identifier_type == IdentifierType.TAHITI:
        if country != "PF":
            raise ValidationError(
                {"country": _("A TAHITI number belongs to French Polynesia (PF).")}
            )
        if not _TAHITI.match(value):
            raise ValidationError(
                {
                    "identifier": _(
                        "A TAHITI number has 6 letters or digits, optionally followed by 3 digits."
                    )
                }
            )
    else:
        if not value or not _FREE_IDENTIFIER.match(value):
            raise ValidationError(
                {"identifier": _("Use 1 to 80 letters, digits, spaces, dots or dashes.")}
            )
        if fr_siret.is_valid(compact(value)):
            raise ValidationError(
                {"identifier": _("This is a SIRET: choose the SIRET identifier type.")}
            )
        if identifier_type == IdentifierType.OUTSIDE_EU and (
            country == FRANCE or country in EU_COUNTRIES
        ):
            raise ValidationError(
                {"country": _("The 'outside the EU' type needs a country outside the EU.")}
            )
    return CheckedIdentifier(identifier_type, value, country)


def _free(identifier: str) -> str:
    return " ".join((identifier or "").upper().split())


_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _luhn_ok(digits: str) -> bool:
    """Luhn check of a string of ASCII digits (fast path for the directory import)."""
    total = 0
    double = False
    for char in reversed(digits):
        digit = ord(char) - 48
        total += _LUHN_DOUBLED[digit] if double else digit
        double = not double
    return total % 10 == 0


def _siret_fast_ok(value: str) -> bool:
    """Same verdict as ``stdnum.fr.siret.is_valid`` on a compact value (tested against it)."""
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if value.startswith("356000000") and value != "35600000000048":
        ok = sum(ord(c) - 48 for c in value) % 5 == 0
    else:
        ok = _luhn_ok(value)
    return ok and _luhn_ok(value[:9])


def _check_siret(identifier: str, country: str) -> CheckedIdentifier:
    value = compact(identifier)
    if country and country != FRANCE:
        raise ValidationError({"country": _("A SIRET identifies an establishment in France.")})
    if _siret_fast_ok(value):
        return CheckedIdentifier(IdentifierType.SIRET, value, FRANCE)
    try:
        fr_siret.validate(value)
    except stdnum_exceptions.InvalidLength:
        raise ValidationError({"identifier": _("A SIRET has exactly 14 digits.")}) from None
    except stdnum_exceptions.InvalidFormat:
        raise ValidationError({"identifier": _("A SIRET contains digits only.")}) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            {"identifier": _("This SIRET is not valid (wrong check digit).")}
        ) from None
    return CheckedIdentifier(IdentifierType.SIRET, value, FRANCE)


def _check_eu_vat(identifier: str, country: str) -> CheckedIdentifier:
    value = compact(identifier)
    if country == FRANCE:
        raise ValidationError(
            {"country": _("A French structure is identified by its SIRET, not by a VAT number.")}
        )
    if country not in EU_COUNTRIES:
        raise ValidationError({"country": _("Choose a member state of the European Union.")})
    prefix = VAT_PREFIX.get(country, country)
    if not value.startswith(prefix):
        value = prefix + value
    if not eu_vat.is_valid(value):
        raise ValidationError(
            {"identifier": _("This is not a valid intra-EU VAT number for this country.")}
        )
    return CheckedIdentifier(IdentifierType.EU_OUTSIDE_FRANCE, eu_vat.compact(value), country)


def vat_number_check(*, vat_number: str, identifier_type: str, identifier: str) -> str:
    """Validate an optional intra-EU VAT number; for a SIRET it must match its SIREN."""
    value = compact(vat_number)
    if not value:
        return ""
    if not eu_vat.is_valid(value):
        raise ValidationError({"vat_number": _("This is not a valid intra-EU VAT number.")})
    if identifier_type == IdentifierType.SIRET:
        if not value.startswith("FR") or not fr_tva.is_valid(value):
            raise ValidationError({"vat_number": _("A French VAT number starts with FR.")})
        if value[4:] != identifier[:9]:
            raise ValidationError(
                {"vat_number": _("This VAT number belongs to another SIREN than the SIRET's.")}
            )
    return str(eu_vat.compact(value))


@cache
def _countries() -> dict[str, str]:
    return {c.alpha_2: c.name for c in pycountry.countries}


def country_is_known(code: str) -> bool:
    return code in _countries()


def country_choices(language: str = "fr") -> list[tuple[str, str]]:
    """ISO 3166 countries for a select, France first, names in ``language``."""
    return list(_country_choices(language))


@cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    import gettext

    try:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
        ).gettext
    except OSError:

        def translation(message: str) -> str:
            return message

    names = {code: translation(name) for code, name in _countries().items()}
    ordered = sorted(
        names.items(), key=lambda item: unicodedata.normalize("NFKD", item[1]).casefold()
    )
    return ((FRANCE, names[FRANCE]), *((c, n) for c, n in ordered if c != FRANCE))


def search_normalize(text: str) -> str:
    """Upper-case ASCII words: the form names and cities are indexed and searched in.

    "Hôpital d'Évry-Courcouronnes" and "HOPITAL D EVRY COURCOURONNES" normalise alike.
    """
    if not text:
        return ""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_ALNUM.sub(" ", text).upper().split())
