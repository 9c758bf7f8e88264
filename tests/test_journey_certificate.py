"""Part 4's journey: a certificate from issue to reissue, as the public and an inspector see it.

A completed 朝阳区 restaurant application is issued its certificate; the QR code read back
from the rendered PDF page opens the live page (有效, every permit 有效); a permit is revoked
and the same URL says 已作废; the item is licensed again, the certificate reissued, and the
new version's QR code says 有效 while the old one says 已换发 and links to the version in
force. Offline, from the trust list and the status list fetched from the API, the old and new
QR texts and the new PDF give the same answers.
"""

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onelicense.accounts.models import User
from onelicense.conftest import (  # noqa: F401 (fixtures shared with the apps' tests)
    _fast_password_hashing,
    applicant,
    beijing_catalogue,
    clerk,
    completed,
    district_admin,
)
from onelicense.licences import services as licences
from onelicense.licences.keys import root_key
from onelicense.licences.models import Certificate, Permit
from onelicense.verification.offline import verify_offline
from onelicense.verification.selectors import KEYS

REVOKED_ITEM = "tobacco_retail_licence"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The key table and the rate limit live per process: start without either."""
    KEYS.clear()
    cache.clear()
    yield
    KEYS.clear()
    cache.clear()


def qr_text(certificate: Certificate, folder: Path) -> str:
    """The QR code of the certificate's PDF, as a phone reads it off the rendered page."""
    pdf = folder / f"{certificate.number}-v{certificate.version}.pdf"
    pdf.write_bytes(certificate.pdf.read())
    prefix = folder / f"page-v{certificate.version}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    page = next(folder.glob(f"{prefix.name}*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], check=True, capture_output=True, text=True
    ).stdout.strip()
    return decoded.splitlines()[0]


def open_page(client: Client, url: str) -> str:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    return response.content.decode()


def verdict(html: str) -> str:
    found = re.search(r'class="ol-verdict ol-verdict--(\w+)"', html)
    assert found, html[:500]
    return found.group(1)


def permit_statuses(html: str) -> list[tuple[str, str]]:
    """(status code, label) of every permit the page lists."""
    return re.findall(r'<span class="ol-status ol-status--(\w+)">([^<]+)</span>', html)


def regrant(permit: Permit) -> Permit:
    """The item licensed again after its permit was revoked (重新许可), by a reviewer of the
    permit's department: a new permit with a new number, from today."""
    reviewer = User.objects.create_user(
        "tobacco_chaoyang", role=User.Role.REVIEWER, department=permit.department
    )
    start = timezone.localdate()
    return licences.permit_regrant(
        application=permit.application,
        item=permit.item,
        reviewer=reviewer,
        number=f"{permit.number}-R1",
        valid_from=start,
        valid_until=licences.permit_validity_end(start, permit.item.permit_validity_months),
        reason="整改完成，重新准予许可",
    )


def test_a_certificate_from_issue_through_void_to_reissue_online_and_offline(
    completed,  # noqa: F811 (the fixture imported above)
    district_admin,  # noqa: F811
    client,
    tmp_path,
):
    # Issue: the QR code on the PDF opens the live page, valid, every permit valid.
    first = licences.certificate_issue(application=completed, admin=district_admin)
    old_url = qr_text(first, tmp_path)
    assert old_url == licences.verify_url(first.token)
    html = open_page(client, old_url)
    assert verdict(html) == "valid" and "有效" in html
    assert first.face["holder"] in html
    statuses = permit_statuses(html)
    assert len(statuses) == 3 and set(statuses) == {("valid", "有效")}

    # Revoke one permit: the same QR code now says void, and why.
    permit = Permit.objects.get(application=completed, item__code=REVOKED_ITEM)
    licences.permit_change(
        permit=permit,
        actor=None,
        operation="revoke",
        reason="违法经营",
        legal_basis="《烟草专卖法》第三十二条",
    )
    html = open_page(client, old_url)
    assert verdict(html) == "void" and "已作废" in html
    assert f"{permit.name}已吊销" in html
    assert ("revoked", "吊销") in permit_statuses(html)

    # Licensed again, reissued: the new version is valid, the old one replaced.
    regranted = regrant(permit)
    second = licences.certificate_reissue(
        certificate=first, admin=district_admin, reason="烟草专卖零售许可重新核发"
    )
    assert second.version == 2 and second.number == first.number
    assert regranted.number in {row["number"] for row in second.face["licensed"]}
    new_url = qr_text(second, tmp_path)
    html = open_page(client, new_url)
    assert verdict(html) == "valid" and second.identifier in html
    statuses = permit_statuses(html)
    assert len(statuses) == 3 and set(statuses) == {("valid", "有效")}

    html = open_page(client, old_url)
    assert verdict(html) == "replaced" and "已换发" in html and "已换发为第 2 版" in html
    link = reverse("verification:current", args=[first.token])
    assert f'href="{link}"' in html
    current = client.get(link).content.decode()
    assert verdict(current) == "valid" and "以下为现行第 2 版" in current
    assert second.identifier in current

    # Offline: the same answers from the trust list and the status list the API gives out.
    trust = client.get("/api/v1/trust-list").json()
    status_list = client.get("/api/v1/status-lists/110105").json()
    root = root_key().certificate_pem
    lists = {"110105": status_list}
    old = verify_offline(old_url, trust_list=trust, status_lists=lists, root_pem=root)
    assert (old.ok, old.status, old.code) == (False, "replaced", "certificate_replaced")
    assert old.claims and old.claims.version == 1
    new = verify_offline(new_url, trust_list=trust, status_lists=lists, root_pem=root)
    assert (new.ok, new.status, new.code) == (True, "valid", "")
    assert new.claims and (new.claims.number, new.claims.version) == (second.number, 2)
    pdf = tmp_path / f"{second.number}-v2.pdf"
    on_paper = verify_offline(pdf, trust_list=trust, status_lists=lists, root_pem=root)
    assert on_paper.ok and on_paper.status == "valid"
    assert on_paper.pdf and on_paper.pdf.good and on_paper.pdf.signer_kid == second.key_id
    assert on_paper.claims == new.claims

    # And `onelicense verify`, the command an inspector runs, from the same files.
    (tmp_path / "trust.json").write_text(json.dumps(trust, ensure_ascii=False), "utf-8")
    (tmp_path / "110105.json").write_text(json.dumps(status_list, ensure_ascii=False), "utf-8")
    (tmp_path / "root.pem").write_text(root, "utf-8")
    files = ["--trust-list", str(tmp_path / "trust.json")]
    files += ["--status-list", str(tmp_path / "110105.json"), "--root", str(tmp_path / "root.pem")]
    answers = {}
    for name, source in (("old", old_url), ("new", new_url), ("pdf", str(pdf))):
        done = subprocess.run(
            [sys.executable, "-m", "onelicense", "verify", source, *files, "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        answers[name] = (done.returncode, json.loads(done.stdout))
    assert answers["old"][0] == 1 and answers["old"][1]["code"] == "certificate_replaced"
    assert answers["new"][0] == 0 and answers["new"][1]["status"] == "valid"
    assert answers["pdf"][0] == 0 and answers["pdf"][1]["pdf_seal_good"] is True
    assert answers["pdf"][1]["version"] == 2 == answers["new"][1]["version"]
