"""Benchmarks that `onelicense bench` runs: each prints figures and never asserts a timing.

A benchmark is a module with `TITLE` (Chinese, one line) and `run(options, out)`; add one by
writing the module and naming it in BENCHMARKS. Nothing here imports Django: the command
prepares the database first, then imports the benchmark it runs.
"""

import argparse
import importlib
from typing import Protocol, TextIO, cast

# name → module, in the order `onelicense bench` without a name runs them.
BENCHMARKS = {
    "plan": "onelicense.benchmarks.plan",
    "issue": "onelicense.benchmarks.issue",
    "verify": "onelicense.benchmarks.verify",
    "offline": "onelicense.benchmarks.offline",
    "reports": "onelicense.benchmarks.reports",
}


class Benchmark(Protocol):
    TITLE: str

    def run(self, options: argparse.Namespace, out: TextIO) -> None: ...


def benchmark_load(name: str) -> Benchmark:
    return cast(Benchmark, importlib.import_module(BENCHMARKS[name]))
