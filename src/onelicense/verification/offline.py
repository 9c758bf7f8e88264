"""Offline verification: a QR text or a certificate PDF, checked against a trust list (and,
optionally, status lists) that the verifier fetched earlier — no database, no network.

For a QR text (the URL or the bare token): the trust list's signature (against the pinned root
when one is given), the token's key (listed, not retired) and signature, then, if the
certificate's status list is given, its signature (by a key of that list's region, or the
root for 110000), the certificate's 2-bit status and how old the list is. For a PDF: the PAdES
e-seal (pyHanko: intact, valid, chaining to the trust list's root, covering the whole file,
signed by a listed key), then the QR code read from the rendered page (pdftoppm + zbarimg),
checked as above and against the seal's key.

The `onelicense verify` command calls `cli_verify(argv)`; Django must be set up (settings
only: nothing here touches the database).
"""

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from onelicense.licences.keys import verifier_for
from onelicense.licences.seal import pem_to_der
from onelicense.licences.tokens import Claims, TokenError, claims_verify, token_parse
from onelicense.verification import statuslists
from onelicense.verification.documents import document_parts, document_verify, timestamp_read
from onelicense.verification.errors import MESSAGES, VerificationError
from onelicense.verification.services import token_from_text
from onelicense.verification.trustlists import public_key_der, root_fingerprint, trust_list_check

STATUS_LABELS = {"valid": "有效", "void": "已作废", "replaced": "已换发"}


@dataclass
class PdfCheck:
    """What the PDF's e-seal proved."""

    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer_kid: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def good(self) -> bool:
        return self.intact and self.valid and self.trusted and self.whole_file


@dataclass
class OfflineResult:
    """The answer: `ok` when the certificate is genuine and, as far as the given status list
    says, valid now. `status` is empty when no status list covered it."""

    ok: bool = False
    code: str = ""
    message: str = ""
    root_fingerprint: str = ""
    claims: Claims | None = None
    signer_name: str = ""
    status: str = ""
    status_list_issued_at: datetime.datetime | None = None
    status_list_age: datetime.timedelta | None = None
    status_list_stale: bool = False
    pdf: PdfCheck | None = None
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The answer in Chinese, a line each, as the command prints it."""
        verdict = "有效" if self.ok else "无效"
        out = [f"结论：{verdict}（{self.message}）" if self.code else f"结论：{verdict}"]
        if self.code:
            out.append(f"错误代码：{self.code}")
        if self.pdf is not None:
            seal = "完好、有效、可信，覆盖整个文件" if self.pdf.good else "未通过"
            out.append(f"PDF 电子签章：{seal}")
        if self.claims is not None:
            c = self.claims
            issued = datetime.datetime.fromtimestamp(c.issued_at, tz=datetime.UTC)
            out += [
                f"凭证编号：{c.number}（第 {c.version} 版）",
                f"发证机关：{self.signer_name}",
                f"颁发时间：{timezone.localtime(issued):%Y-%m-%d %H:%M}",
                f"签名密钥：{c.kid}",
            ]
        if self.status:
            out.append(f"凭证状态（状态列表）：{STATUS_LABELS.get(self.status, self.status)}")
        if self.status_list_issued_at and self.status_list_age is not None:
            minutes = int(self.status_list_age.total_seconds() // 60)
            fresh = "已过期，请更新状态列表" if self.status_list_stale else "在有效期内"
            when = timezone.localtime(self.status_list_issued_at)
            out.append(f"状态列表签发于 {when:%Y-%m-%d %H:%M}（{minutes} 分钟前，{fresh}）")
        if self.root_fingerprint:
            out.append(f"根公钥指纹（SHA-256）：{self.root_fingerprint}")
        return out + self.notes


def _fail(result: OfflineResult, error: VerificationError, prefix: str = "") -> OfflineResult:
    result.ok, result.code, result.message = False, error.code, prefix + error.message
    return result


def _key_entry(trust: dict[str, Any], kid: str) -> dict[str, Any]:
    entry: dict[str, Any] | None = next((k for k in trust["keys"] if k["kid"] == kid), None)
    if entry is None:
        raise VerificationError("key_unknown")
    if entry["status"] == "retired":
        raise VerificationError("key_retired")
    return entry


def _token_check(trust: dict[str, Any], text: str) -> tuple[dict[str, Any], Claims]:
    try:
        parsed = token_parse(token_from_text(text))
        entry = _key_entry(trust, parsed.kid)
        verifier = verifier_for(entry["algorithm"], entry["public_key_pem"])
        return entry, claims_verify(parsed, verifier)
    except TokenError as exc:
        raise VerificationError(exc.code) from exc


def _status(
    result: OfflineResult,
    trust: dict[str, Any],
    document: object,
    claims: Claims,
    now: datetime.datetime,
) -> None:
    """The certificate's status from its list, once the list is found signed by a key of its
    own region or by the root."""
    payload, kid, _signature = document_parts(document)
    if kid == trust["root"]["kid"]:
        signer = trust["root"]
    else:
        signer = _key_entry(trust, kid)
        if signer["region"] != claims.status_list:
            raise VerificationError("document_forged")
    document_verify(document, verifier_for(signer["algorithm"], signer["public_key_pem"]))
    if payload.get("list") != claims.status_list or payload.get("bits") != 2:
        raise VerificationError("document_malformed")
    data = statuslists.decode(str(payload.get("encoded_list", "")))
    value = statuslists.status_at(data, claims.status_index)
    result.status = statuslists.CERTIFICATE_VALUES.get(value, "unknown")
    result.status_list_issued_at = timestamp_read(payload.get("issued_at"))
    result.status_list_age = now - result.status_list_issued_at
    ttl = payload.get("ttl")
    result.status_list_stale = (
        not isinstance(ttl, int) or result.status_list_age.total_seconds() > ttl
    )


def pdf_seal_check(data: bytes, trust: dict[str, Any]) -> PdfCheck:
    """The PDF's last e-seal against the trust list's root, and the listed key that made it."""
    try:
        signatures = PdfFileReader(BytesIO(data)).embedded_signatures
    except (PdfReadError, ValueError, KeyError) as exc:
        raise VerificationError("pdf_unreadable") from exc
    if not signatures:
        raise VerificationError("pdf_unsigned")
    root = asn1_x509.Certificate.load(pem_to_der(trust["root"]["certificate_pem"]))
    try:
        status = validate_pdf_signature(
            signatures[-1], ValidationContext(trust_roots=[root], allow_fetching=False)
        )
    except Exception as exc:  # pyHanko raises many kinds for a broken signature structure
        raise VerificationError("pdf_signature_invalid") from exc
    check = PdfCheck(
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        whole_file=str(status.coverage) == "SignatureCoverageLevel.ENTIRE_FILE",
        signed_at=status.signer_reported_dt,
    )
    seal_key = status.signing_cert.public_key.dump()
    for entry in trust["keys"]:
        if entry["status"] != "retired" and public_key_der(entry["public_key_pem"]) == seal_key:
            check.signer_kid = entry["kid"]
    return check


def pdf_qr_text(path: Path) -> str:
    """The QR code of the PDF's first page: rendered at 150 dpi and decoded."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "page"
        try:
            subprocess.run(
                ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path), str(prefix)],
                check=True,
                capture_output=True,
                timeout=60,
            )
            page = next(Path(folder).glob("page*.png"))
            decoded = subprocess.run(
                ["zbarimg", "--quiet", "--raw", str(page)],
                check=True,
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError, StopIteration) as exc:
            raise VerificationError("pdf_no_qr") from exc
    if not decoded:
        raise VerificationError("pdf_no_qr")
    return decoded.splitlines()[0]


def _is_pdf(source: str | Path) -> Path | None:
    path = Path(source)
    try:
        if path.is_file():
            with path.open("rb") as f:
                return path if f.read(5) == b"%PDF-" else None
    except OSError:
        return None
    return None


def verify_offline(
    source: str | Path,
    *,
    trust_list: dict[str, Any],
    status_lists: dict[str, Any] | None = None,
    root_pem: str | None = None,
    now: datetime.datetime | None = None,
) -> OfflineResult:
    """Check a QR text or a certificate PDF path; `status_lists` maps list codes to documents."""
    now = now or timezone.now()
    result = OfflineResult()
    try:
        trust = trust_list_check(trust_list, root_pem=root_pem)
    except VerificationError as exc:
        return _fail(result, exc, "信任列表：")
    result.root_fingerprint = root_fingerprint(trust["root"]["public_key_pem"])
    if root_pem is None:
        result.notes.append("注意：未指定 --root，未核对信任列表的根证书，请核对上面的指纹")
    text = str(source)
    path = _is_pdf(source)
    try:
        if path is not None:
            result.pdf = pdf_seal_check(path.read_bytes(), trust)
            if not result.pdf.good or not result.pdf.signer_kid:
                raise VerificationError("pdf_signature_invalid")
            text = pdf_qr_text(path)
        entry, result.claims = _token_check(trust, text)
        result.signer_name = entry["signer_name"]
        if result.pdf is not None and result.pdf.signer_kid != result.claims.kid:
            raise VerificationError("pdf_token_mismatch")
    except VerificationError as exc:
        return _fail(result, exc)
    document = (status_lists or {}).get(result.claims.status_list)
    if document is None:
        result.notes.append(str(MESSAGES["status_list_missing"]) + "：未核对实时状态")
    else:
        try:
            _status(result, trust, document, result.claims, now)
        except VerificationError as exc:
            return _fail(result, exc, "状态列表：")
    if result.status in ("void", "replaced"):
        return _fail(result, VerificationError(f"certificate_{result.status}"))
    result.ok = result.status in ("", "valid")
    return result


def _load_json(path: str) -> Any:
    return json.loads(Path(path).read_text("utf-8"))


def cli_verify(argv: list[str]) -> int:
    """`onelicense verify`: 0 valid, 1 not valid, 2 the files could not be read."""
    parser = argparse.ArgumentParser(
        prog="onelicense verify", description="离线核验综合许可凭证的二维码或 PDF，不联网"
    )
    parser.add_argument("source", help="二维码内容（核验网址或令牌），或凭证 PDF 文件")
    parser.add_argument("--trust-list", required=True, help="信任列表文件（/api/v1/trust-list）")
    parser.add_argument(
        "--status-list",
        action="append",
        default=[],
        help="状态列表文件（/api/v1/status-lists/<代码>），可多次给出",
    )
    parser.add_argument("--root", help="预期的根证书或根公钥 PEM 文件，用于核对信任列表")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结论")
    args = parser.parse_args(argv)
    try:
        trust_list = _load_json(args.trust_list)
        lists = [_load_json(p) for p in args.status_list]
        root_pem = Path(args.root).read_text("utf-8") if args.root else None
    except (OSError, ValueError) as exc:
        print(f"无法读取文件：{exc}", file=sys.stderr)
        return 2
    by_code = {str(d.get("payload", {}).get("list")): d for d in lists if isinstance(d, dict)}
    result = verify_offline(
        args.source, trust_list=trust_list, status_lists=by_code, root_pem=root_pem
    )
    if args.json:
        print(json.dumps(_as_json(result), ensure_ascii=False, indent=2))
    else:
        print("\n".join(result.lines()))
    return 0 if result.ok else 1


def _as_json(result: OfflineResult) -> dict[str, Any]:
    claims = result.claims
    return {
        "ok": result.ok,
        "code": result.code or None,
        "message": result.message or None,
        "number": claims.number if claims else None,
        "version": claims.version if claims else None,
        "kid": claims.kid if claims else None,
        "issuer": result.signer_name or None,
        "status": result.status or None,
        "status_list_age_seconds": (
            int(result.status_list_age.total_seconds()) if result.status_list_age else None
        ),
        "status_list_stale": result.status_list_stale,
        "pdf_seal_good": result.pdf.good if result.pdf else None,
        "root_fingerprint": result.root_fingerprint,
    }
