#!/usr/bin/env python3
"""Benchmark scripts/update_documents.py: peak memory and throughput for big documents.

For each size a PDF-like body (starting with %PDF-) is generated on the fly by a
local HTTPS server on 127.0.0.1 (tests/https_server.py, throwaway CA from trustme),
and the real script fetches it as a subprocess into a temporary folder. Peak memory
is the child's maximum resident set size from os.wait4(); throughput is the size
divided by the wall time of the whole subprocess (start-up included). Memory
should stay flat as the files grow, because the script streams.

Needs the development packages (trustme); run with the project's venv:

    .venv/bin/python scripts/benchmark_update.py            # 20 MB and 200 MB
    .venv/bin/python scripts/benchmark_update.py --sizes 1 20 200 500
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "update_documents.py"
sys.path.insert(0, str(ROOT / "tests"))  # reuse the test server

from https_server import HTTPSServer, stream_pdf  # noqa: E402

MB = 1000 * 1000


@dataclass(frozen=True)
class Measurement:
    size_mb: int
    seconds: float
    peak_rss_mb: float
    exit_code: int

    @property
    def throughput(self) -> float:
        return self.size_mb / self.seconds


def measure(server: HTTPSServer, ca_file: Path, size_mb: int, timeout: float) -> Measurement:
    size = size_mb * MB
    path = f"/benchmark-{size_mb}.pdf"
    server.route(path, stream_pdf(size, seed=str(size_mb)))
    with tempfile.TemporaryDirectory(prefix="benchmark-update-") as folder:
        manifest = Path(folder) / "data" / "documents.yml"
        documents = Path(folder) / "dokumente"
        manifest.parent.mkdir()
        manifest.write_text(f"documents:\n  - id: benchmark\n    url: {server.url(path)}\n"
                            f"    title:\n      de: Benchmark {size_mb} MB\n", encoding="utf-8")
        command = [sys.executable, str(SCRIPT), "--manifest", str(manifest), "--documents-dir", str(documents),
                   "--timeout", str(timeout), "--max-bytes", str(size + MB)]
        started = time.monotonic()
        process = subprocess.Popen(command, env={**os.environ, "SSL_CERT_FILE": str(ca_file)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # wait4 gives the peak RSS of exactly this child (RUSAGE_CHILDREN would mix all runs).
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        fetched = documents / "benchmark.pdf"
        if process.returncode == 0 and fetched.stat().st_size != size:
            raise SystemExit(f"fetched {fetched.stat().st_size} bytes instead of {size}")
    return Measurement(size_mb, seconds, usage.ru_maxrss / 1024, process.returncode)  # ru_maxrss: KiB on Linux


def print_table(results: list[Measurement]) -> None:
    print(f"{'size':>8}  {'time':>8}  {'throughput':>12}  {'peak RSS':>9}  exit")
    for result in results:
        print(f"{result.size_mb:>5} MB  {result.seconds:>6.2f} s  {result.throughput:>7.1f} MB/s"
              f"  {result.peak_rss_mb:>6.1f} MB  {result.exit_code:>4}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure peak memory and throughput of update_documents.py "
                                                 "fetching big generated PDFs from a local HTTPS server.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200], metavar="MB",
                        help="document sizes in MB (1 MB = 1,000,000 bytes; default: 20 200)")
    parser.add_argument("--timeout", type=float, default=30.0, help="--timeout passed to the script (default: 30)")
    args = parser.parse_args(argv)
    if sys.platform != "linux":
        print("note: ru_maxrss is read as KiB, which is correct on Linux only", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="benchmark-ca-") as ca_folder, HTTPSServer() as server:
        ca_file = server.write_ca(Path(ca_folder) / "ca.pem")
        results = [measure(server, ca_file, size_mb, args.timeout) for size_mb in args.sizes]
    print_table(results)
    return 0 if all(result.exit_code == 0 for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
