#!/usr/bin/env python3
"""Benchmark scripts/update_documents.py: peak memory and throughput for big documents.

For each size a valid PDF (one page plus a big filler stream) is generated on the
fly by a local HTTPS server on 127.0.0.1 (tests/https_server.py, throwaway CA from
trustme), and the real script fetches, checks and publishes it as a subprocess into
a temporary folder. Throughput is the size divided by the wall time of the whole
subprocess (start-up and the PDF check included). Memory should stay flat as the
files grow, because the script streams and pypdf reads the file from disk.

Peak memory: the largest maximum resident set size of any process of the run (the
script or its PDF check child), from os.wait4() in a small launcher process. The
launcher matters: on Linux a child's ru_maxrss starts at its parent's RSS at the
time of the fork/exec, so measured straight from this benchmark (which holds the
HTTPS server, trustme and cryptography, about 35 MB) it would show this process's
memory, not the script's. "PDF check" is the check process alone, run once more on
the downloaded file; --inherited adds a column with the older figure (ru_maxrss of a
direct child of this benchmark, from one more run) for comparison.

Needs the development packages (trustme); run with the project's venv:

    .venv/bin/python scripts/benchmark_update.py            # 20 MB and 200 MB
    .venv/bin/python scripts/benchmark_update.py --sizes 1 20 200 500
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "update_documents.py"
PDF_CHECK = ROOT / "scripts" / "sitekit" / "pdf.py"
# Starts the command and prints its ru_maxrss (KiB) on the last line of stderr; itself much smaller than the script.
LAUNCHER = ("import os, sys\n"
            "pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)\n"
            "_, status, usage = os.wait4(pid, 0)\n"
            "print(usage.ru_maxrss, file=sys.stderr)\n"
            "sys.exit(os.waitstatus_to_exitcode(status))\n")
sys.path.insert(0, str(ROOT / "tests"))  # reuse the test server

from https_server import HTTPSServer, stream_pdf  # noqa: E402

MB = 1000 * 1000


@dataclass(frozen=True)
class Measurement:
    size_mb: int
    seconds: float
    peak_rss_mb: float  # largest process of the run (script or PDF check), harness not counted
    inherited_rss_mb: float | None  # the script's ru_maxrss measured straight from this benchmark (old figure)
    check_rss_mb: float  # the PDF check process alone
    exit_code: int

    @property
    def throughput(self) -> float:
        return self.size_mb / self.seconds


def measure(server: HTTPSServer, ca_file: Path, size_mb: int, timeout: float, inherited: bool) -> Measurement:
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
        env = {**os.environ, "SSL_CERT_FILE": str(ca_file)}
        started = time.monotonic()
        launcher = subprocess.run([sys.executable, "-c", LAUNCHER, *command], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        seconds = time.monotonic() - started
        peak_kib = int(launcher.stderr.strip().splitlines()[-1])
        fetched = documents / "benchmark.pdf"
        if launcher.returncode == 0 and fetched.stat().st_size != size:
            raise SystemExit(f"fetched {fetched.stat().st_size} bytes instead of {size}")
        check = subprocess.run([sys.executable, "-c", LAUNCHER, sys.executable, "-I", str(PDF_CHECK), str(fetched)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) \
            if launcher.returncode == 0 else None
        check_kib = int(check.stderr.strip().splitlines()[-1]) if check else 0
        inherited_mb = None
        if inherited:  # the old way: wait4 on a direct child of this (big) process; includes our own RSS
            shutil.rmtree(documents)
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _pid, _status, usage = os.wait4(process.pid, 0)  # ru_maxrss: KiB on Linux
            inherited_mb = usage.ru_maxrss / 1024
    return Measurement(size_mb, seconds, peak_kib / 1024, inherited_mb, check_kib / 1024, launcher.returncode)


def print_table(results: list[Measurement]) -> None:
    inherited = any(result.inherited_rss_mb is not None for result in results)
    print(f"{'size':>8}  {'time':>8}  {'throughput':>12}  {'peak RSS':>9}  {'PDF check':>9}  "
          + (f"{'inherited':>9}  " if inherited else "") + "exit")
    for result in results:
        extra = f"{result.inherited_rss_mb:>6.1f} MB  " if inherited else ""
        print(f"{result.size_mb:>5} MB  {result.seconds:>6.2f} s  {result.throughput:>7.1f} MB/s"
              f"  {result.peak_rss_mb:>6.1f} MB  {result.check_rss_mb:>6.1f} MB  {extra}{result.exit_code:>4}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure peak memory and throughput of update_documents.py "
                                                 "fetching big generated PDFs from a local HTTPS server.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200], metavar="MB",
                        help="document sizes in MB (1 MB = 1,000,000 bytes; default: 20 200)")
    parser.add_argument("--timeout", type=float, default=30.0, help="--timeout passed to the script (default: 30)")
    parser.add_argument("--inherited", action="store_true",
                        help="also measure the old way (ru_maxrss of a direct child, includes this benchmark's memory)")
    args = parser.parse_args(argv)
    if sys.platform != "linux":
        print("note: ru_maxrss is read as KiB, which is correct on Linux only", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="benchmark-ca-") as ca_folder, HTTPSServer() as server:
        ca_file = server.write_ca(Path(ca_folder) / "ca.pem")
        results = [measure(server, ca_file, size_mb, args.timeout, args.inherited) for size_mb in args.sizes]
    print_table(results)
    return 0 if all(result.exit_code == 0 for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
