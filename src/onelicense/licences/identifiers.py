"""Numbers and identifiers of permits and certificates.

The e-licence identifier follows GB/T 36904-2018: ``1.2.156.3005.2.<type>.<issuer>.<serial>.
<version>.<check>``, the check character ISO 7064 MOD 37,36 over type + issuer + serial + version.
"""

from django.conf import settings
from stdnum.cn import uscc
from stdnum.iso7064 import mod_37_36

from onelicense.accounts.models import District
from onelicense.licences.models import SerialCounter

ROOT = "1.2.156.3005.2"
CITY_LIST = "110000"  # the status list of city-level bodies' permits


def identifier_make(*, type_code: str, issuer: str, serial: str, version: int) -> str:
    version_text = f"{version:03d}"
    check = mod_37_36.calc_check_digit(type_code + issuer + serial + version_text)
    return f"{ROOT}.{type_code}.{issuer}.{serial}.{version_text}.{check}"


def identifier_valid(identifier: str) -> bool:
    parts = identifier.split(".")
    if len(parts) != 10 or ".".join(parts[:5]) != ROOT:
        return False
    type_code, issuer, serial, version, check = parts[5:]
    return mod_37_36.calc_check_digit(type_code + issuer + serial + version) == check


def issuer_uscc(district: District) -> str:
    """The 统一社会信用代码 of the district's 政务服务管理局, the certificate's issuer.

    Held in settings by district code; a district without one gets a well-formed code derived
    from its area code (assumed, until the real one is configured).
    """
    configured: dict[str, str] = settings.ONELICENSE_ISSUER_USCC
    if district.code in configured:
        return configured[district.code]
    body = f"11{district.code}MB{int(district.code) % 10_000_000:07d}"
    return body + uscc.calc_check_digit(body)


def certificate_type_code() -> str:
    """证照类型代码 of 综合许可凭证: the defining body's USCC and a 3-digit sequence."""
    return str(settings.ONELICENSE_CERTIFICATE_TYPE_CODE)


def serial_next(code: str) -> int:
    """The next serial of a sequence. The counter row is read locked (held until the
    transaction ends), so two issues at once get two serials: the second reads the row once
    the first has committed its increment."""
    counter, _ = SerialCounter.objects.select_for_update().get_or_create(code=code)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def status_index_next(list_code: str) -> int:
    """The next free index of a status list (permits and certificates share a list)."""
    return serial_next(f"status:{list_code}")
