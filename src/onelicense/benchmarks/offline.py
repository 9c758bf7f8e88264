"""Offline verification rate: QR tokens checked per second on one core, as an offline app does.

20,000 distinct tokens (or `--n` when given) are signed with 朝阳区's active key; then, with
the process pinned to one CPU, each is read by `tokens.token_read` with an `Es256Verifier`
built once (an offline app holds the keys of its trust list): parse (base64url, inflate,
JSON) and ECDSA P-256 check. Three passes, the best and the median printed against the
target (≥ 5,000 per second), with the parse and the signature check also timed on their
own. A second line times the whole `verification.offline.verify_offline` per token — trust
list check, key lookup, token, the status list's signature and the certificate's 2 bits — on
2,000 of them. Figures only: nothing is asserted.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from typing import TextIO, TypeVar

from onelicense.accounts.models import District
from onelicense.benchmarks.bulk import is_postgres
from onelicense.licences.keys import Es256Verifier, district_key, key_rotate, signer_for
from onelicense.licences.models import SigningKey
from onelicense.licences.tokens import Claims, token_make, token_parse, token_read
from onelicense.verification.offline import verify_offline
from onelicense.verification.statuslists import MIN_SIZE, status_list_build
from onelicense.verification.trustlists import trust_list_build

TITLE = "offline：离线核验二维码令牌（token_read + Es256Verifier，单核每秒核验数）"
TARGET = 5_000
TOKENS = 20_000
CLI_DEFAULT_N = 200  # `onelicense bench`'s --n default: not a count anyone asked for here
PASSES = 3
FULL = 2_000
DISTRICT = "110105"
T = TypeVar("T")


def run(options: argparse.Namespace, out: TextIO) -> None:
    count = TOKENS if options.n == CLI_DEFAULT_N else max(1, options.n)
    key = _usable_key(District.objects.get(code=DISTRICT))
    signer = signer_for(key)
    now = int(time.time())
    tokens = [
        token_make(
            Claims(
                f"ZH{DISTRICT}2026{i:06d}",
                1 + i % 3,
                key.kid,
                f"{i:064x}",
                now - i,
                DISTRICT,
                i % MIN_SIZE,
            ),
            signer,
        )
        for i in range(count)
    ]
    verifier = Es256Verifier(key.public_key_pem)  # built once, as an offline app holds it
    core = _pin()
    where = f"固定在 CPU {core} 上" if core is not None else "未能固定 CPU（非 Linux）"
    out.write(
        f"{count:,} 个不同的令牌（ES256，{key.kid}），{where}，每项 {PASSES} 轮；"
        f"令牌长约 {len(tokens[0])} 字符；1 分钟平均负载 {os.getloadavg()[0]:.1f}\n"
    )
    try:
        for token in tokens[:200]:  # warm the code paths
            token_read(token, verifier)
        whole = _rates(lambda t: token_read(t, verifier), tokens)
        parsed = [token_parse(t) for t in tokens]
        parse = _rates(token_parse, tokens)
        check = _rates(lambda p: verifier.verify(p.signature, p.payload), parsed)
        best, median = max(whole), statistics.median(whole)
        verdict = "达到" if median >= TARGET else "未达到"
        out.write(
            f"token_read + Es256Verifier：最好 {best:,.0f} 个/s，中位 {median:,.0f} 个/s"
            f"（每个 {1e6 / median:.0f} µs；目标 ≥ {TARGET:,} 个/s，{verdict}）\n"
            f"  其中 解析（base64url、解压、JSON）：{statistics.median(parse):,.0f} 个/s"
            f"（{1e6 / statistics.median(parse):.0f} µs）；"
            f"签名验证（ECDSA P-256）：{statistics.median(check):,.0f} 个/s"
            f"（{1e6 / statistics.median(check):.0f} µs）\n"
        )
        out.flush()
        _full(out, tokens[:FULL])
    finally:
        _unpin()
    if is_postgres():
        out.write("（令牌与数据库中的凭证无关：离线核验不读数据库）\n")


def _full(out: TextIO, tokens: list[str]) -> None:
    """verify_offline per token, with the trust list and 110105's status list given."""
    trust = trust_list_build()
    lists = {DISTRICT: status_list_build(DISTRICT)}
    first = verify_offline(tokens[0], trust_list=trust, status_lists=lists)
    if first.code and first.code not in ("certificate_void", "certificate_replaced"):
        raise RuntimeError(f"verify_offline：{first.code} {first.message}")
    rates = _rates(lambda t: verify_offline(t, trust_list=trust, status_lists=lists), tokens, 1)
    out.write(
        f"整个 verify_offline（信任列表与状态列表验签、状态位，{len(tokens):,} 个令牌）："
        f"{rates[0]:,.0f} 个/s（每个 {1e6 / rates[0]:.0f} µs）\n"
    )


def _rates(call: Callable[[T], object], items: Sequence[T], passes: int = PASSES) -> list[float]:
    rates = []
    for _ in range(passes):
        start = time.perf_counter()
        for item in items:
            call(item)
        rates.append(len(items) / (time.perf_counter() - start))
    return rates


def _usable_key(district: District) -> SigningKey:
    """The district's active key, rotated when its private half is not in this data folder."""
    key = district_key(district)
    try:
        signer_for(key)
    except FileNotFoundError:
        key = key_rotate(district=district)
    return key


_AFFINITY: set[int] | None = None


def _pin() -> int | None:
    """Run on one CPU from here on (Linux), so that the rate is one core's."""
    global _AFFINITY
    if not hasattr(os, "sched_setaffinity"):
        return None
    _AFFINITY = os.sched_getaffinity(0)
    core = max(_AFFINITY)
    os.sched_setaffinity(0, {core})
    return core


def _unpin() -> None:
    if _AFFINITY is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, _AFFINITY)
