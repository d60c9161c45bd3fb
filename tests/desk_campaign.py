"""A desk at work: reviewers in separate processes setting verdicts on one casebook at once.

Half the reviewers work on claims of their own; the other half race on the same shared claims
through `verify verdict --revision N`, and every second verdict of theirs is deliberately
stale (the revision read before their previous write, which is gone by then). Afterwards every
acknowledged write must be in the casebook's history, every refusal must be the one-line
stale-write message, and nothing may be an internal error.

Each verdict goes through `verify.cli.main`, the code path of the `verify` command, in a
process per reviewer (`--exec` in bench/desk_bench.py runs one `verify` process per verdict).
Used by the test suite (6 reviewers x 5 verdicts) and bench/desk_bench.py (16 x 25).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STALE = re.compile(
    r"verify: claim (\S+) was changed elsewhere \(revision \d+, you edited revision \d+\); "
    r"reload it and try again"
)
"""The refusal a stale write must get, and nothing else."""
ACK = re.compile(r"(\S+): (\S+) \(revision (\d+)\)")
WARNING = "verify: warning:"


@dataclass
class Outcome:
    reviewer: str
    claim: str
    label: str
    stale_on_purpose: bool
    code: int
    out: str
    err: str


@dataclass
class Tally:
    attempts: int = 0
    acknowledged: int = 0
    found: int = 0
    stale_refused: int = 0
    stale_on_purpose: int = 0
    internal_errors: list[str] = field(default_factory=list)
    other_refusals: list[str] = field(default_factory=list)
    duplicate_revisions: int = 0

    @property
    def lost(self) -> int:
        return self.acknowledged - self.found

    def as_dict(self) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "acknowledged": self.acknowledged,
            "found": self.found,
            "lost": self.lost,
            "stale_refused": self.stale_refused,
            "stale_on_purpose": self.stale_on_purpose,
            "internal_errors": len(self.internal_errors),
            "other_refusals": len(self.other_refusals),
            "duplicate_revisions": self.duplicate_revisions,
        }


def _store(casebook: str, create: bool = False) -> Any:
    """The casebook as the CLI opens it (a path now, any casebook address it accepts later)."""
    from verify.cli.common import open_store

    return open_store(argparse.Namespace(casebook=casebook), create=create)


def prepare(casebook: str, own: int, shared: int) -> tuple[list[str], list[str], list[str]]:
    """Claims for the campaign, added through the store: (own claim ids, shared ids, labels)."""
    from verify import ids
    from verify.models import Claim

    with _store(casebook, create=True) as store:
        labels = [label.label for label in store.settings().scale]
        made = []
        for i in range(own + shared):
            now = store.clock()
            claim = Claim(
                id=ids.new_id("c"),
                text=f"Desk campaign claim {i}: the ferry carried {100 + i} passengers.",
                created=now,
                updated=now,
            )
            store.add_claim(claim)
            made.append(claim.id)
    return made[:own], made[own:], labels


def _run_cli(argv: list[str], exec_each: bool) -> tuple[int, str, str]:
    if exec_each:
        res = subprocess.run(
            [sys.executable, "-m", "verify", *argv],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        return res.returncode, res.stdout, res.stderr
    from verify.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = int(exc.code or 0)
        except BaseException as exc:  # anything escaping main is exactly what is counted
            code = 99
            err.write(f"escaped main: {type(exc).__name__}: {exc}\n")
    return code, out.getvalue(), err.getvalue()


def worker(spec: dict[str, Any]) -> None:
    """One reviewer: waits for the start signal, then sets its verdicts; prints JSON lines."""
    from verify.cli import main  # noqa: F401  (imported before the start, not during it)

    casebook, claims, labels = spec["casebook"], spec["claims"], spec["labels"]
    racing, count, exec_each = spec["racing"], spec["verdicts"], spec["exec"]
    start = Path(spec["start"])
    while not start.exists():
        time.sleep(0.005)
    previous: int | None = None
    for i in range(count):
        claim = claims[i % len(claims)]
        label = labels[(i + spec["offset"]) % len(labels)]
        argv = ["verdict", claim, label, "--casebook", casebook]
        on_purpose = False
        if racing:
            code, out, err = _run_cli(["show", claim, "--json", "--casebook", casebook], exec_each)
            read = int(json.loads(out)["revision"]) if code == 0 else None
            on_purpose = i % 2 == 1 and previous is not None
            revision = previous if on_purpose else read
            previous = read
            if revision is not None:
                argv += ["--revision", str(revision)]
        code, out, err = _run_cli(argv, exec_each)
        outcome = {
            "reviewer": os.environ.get("VERIFY_ACTOR", ""),
            "claim": claim,
            "label": label,
            "stale_on_purpose": on_purpose,
            "code": code,
            "out": out,
            "err": err,
        }
        sys.stdout.write(json.dumps(outcome) + "\n")
        sys.stdout.flush()


def run(
    casebook: str,
    reviewers: int,
    verdicts: int,
    *,
    exec_each: bool = False,
    folder: Path,
) -> tuple[Tally, float]:
    """The whole campaign; (tally, seconds from the start signal to the last verdict)."""
    racers = reviewers // 2
    own_claims, shared, labels = prepare(casebook, reviewers - racers, max(1, racers // 4))
    start = folder / "start"
    with contextlib.suppress(FileNotFoundError):
        start.unlink()
    procs = []
    for n in range(reviewers):
        racing = n >= reviewers - racers
        spec = {
            "casebook": casebook,
            "claims": shared if racing else [own_claims[n]],
            "labels": labels,
            "racing": racing,
            "verdicts": verdicts,
            "exec": exec_each,
            "start": str(start),
            "offset": n,
        }
        env = {**os.environ, "VERIFY_ACTOR": f"reviewer-{n:02d}"}
        procs.append(
            subprocess.Popen(
                [sys.executable, __file__, "worker", json.dumps(spec)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                text=True,
                env=env,
            )
        )
    time.sleep(0.5 if not exec_each else 0.1)  # let the workers import verify first
    t0 = time.perf_counter()
    start.touch()
    outcomes: list[Outcome] = []
    crashed: list[str] = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            crashed.append(f"worker exited {proc.returncode}: {err.strip()[-300:]}")
        outcomes += [Outcome(**json.loads(line)) for line in out.splitlines() if line.strip()]
    seconds = time.perf_counter() - t0
    tally = check(casebook, outcomes)
    tally.internal_errors += crashed
    return tally, seconds


def check(casebook: str, outcomes: list[Outcome]) -> Tally:
    """What was acknowledged, refused and kept: read back through the store afterwards."""
    tally = Tally(attempts=len(outcomes))
    acked: list[tuple[Outcome, int]] = []
    for o in outcomes:
        tally.stale_on_purpose += o.stale_on_purpose
        errors = [line for line in o.err.splitlines() if not line.startswith(WARNING)]
        if o.code == 0:
            m = ACK.fullmatch(o.out.strip())
            if m is None or errors:
                tally.internal_errors.append(f"unclear success: {o.out!r} {o.err!r}")
                continue
            tally.acknowledged += 1
            acked.append((o, int(m.group(3))))
        elif o.code != 1 or len(errors) != 1 or "internal error" in o.err:
            tally.internal_errors.append(f"exit {o.code}: {o.err.strip()[-300:]!r}")
        elif STALE.fullmatch(errors[0]):
            tally.stale_refused += 1
        else:
            tally.other_refusals.append(errors[0])
    with _store(casebook) as store:
        history: dict[str, set[tuple[str, int, str]]] = {}
        for claim_id in {o.claim for o, _ in acked}:
            history[claim_id] = {
                (e.actor, int((e.after or {}).get("revision", 0)), _label(e.after))
                for e in store.events(target=f"claim:{claim_id}")
                if e.action == "claim.verdict" and not e.undone
            }
    seen: set[tuple[str, int]] = set()
    for o, revision in acked:
        if (o.reviewer, revision, o.label) in history.get(o.claim, set()):
            tally.found += 1
        if (o.claim, revision) in seen:
            tally.duplicate_revisions += 1
        seen.add((o.claim, revision))
    return tally


def _label(after: dict[str, Any] | None) -> str:
    verdict = (after or {}).get("verdict") or {}
    return str(verdict.get("label", ""))


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    worker(json.loads(sys.argv[2]))
