"""Real `verify` processes writing to one casebook, killed with SIGKILL at random moments.

Each round starts one command (a verdict, an import, an ingest, a setting), kills it after a
random delay, and records whether it had finished with success (acknowledged). Afterwards
every acknowledged write must be in the casebook and `verify check` must pass.

The delay is a random share (0.3 to 1.5) of how long that kind of command takes on this
machine right now: measured once per kind before the rounds, then kept up to date from every
run that finished. A fixed delay would kill every run on a loaded machine before it could
acknowledge anything, and none on a fast one.
Used by the test suite (a few rounds) and bench/crash_campaign.py (hundreds).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

VERIFY = str(Path(sys.executable).parent / "verify")
SAMPLE = Path(__file__).resolve().parent.parent / "casebook" / "sample.casebook.json"
CLAIMS = ["c-2zjgpgfw", "c-65jxr4wr", "c-zx22sxj4", "c-v7naswc8", "c-7mte6d4n", "c-az7y8knn"]
KINDS = ("verdict", "import", "ingest", "config")
KILL_SHARE = (0.3, 1.5)
"""The kill comes after this share of a typical run: most die mid-run, some finish."""


@dataclass
class Campaign:
    folder: Path
    rng: random.Random
    acknowledged: list[tuple[str, str]] = field(default_factory=list)
    """(kind, token) of every write whose process exited 0 before it could be killed."""
    configs: list[tuple[str, bool]] = field(default_factory=list)
    """Every `config set` tried, in order, and whether it was acknowledged."""
    killed: int = 0
    rounds: int = 0
    finished: int = 0
    """Rounds whose process finished with success before its kill came."""
    durations: dict[str, list[float]] = field(default_factory=dict)
    """Seconds each finished run took, by kind: the baseline the kill delays scale with."""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def casebook(self) -> Path:
        return self.folder / "crash.casebook"

    def setup(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "VERIFY_ACTOR": "crash", "VERIFY_CASEBOOK": str(self.casebook)}
        subprocess.run(
            [VERIFY, "import", str(SAMPLE)], env=self.env, check=True, capture_output=True
        )
        for kind in KINDS:  # the baseline: one whole run of each kind, never killed
            self._run(*self._command(-1, kind), delay=None)

    def _command(self, n: int, kind: str | None = None) -> tuple[list[str], str, str]:
        kind = kind or self.rng.choice(KINDS)
        token = f"t{n}x{self.rng.randrange(10**9)}"
        if kind == "verdict":
            claim = self.rng.choice(CLAIMS)
            label = self.rng.choice(["unproven", "disputed"])
            return ["verdict", claim, label, "--rationale", token], kind, f"{claim}:{token}"
        if kind == "import":
            src = self.folder / f"{token}.jsonl"
            src.write_text(
                "".join(
                    json.dumps(
                        {
                            "id": f"{token}-{i}",
                            "text": f"Claim {token} number {i} about {i * 7} tonnes.",
                        }
                    )
                    + "\n"
                    for i in range(self.rng.randint(1, 200))
                )
            )
            return ["import", str(src)], kind, token
        if kind == "ingest":
            src = self.folder / f"{token}.txt"
            src.write_text(
                f"The minister said on Monday that {token} cost 4.5 billion euros "
                f"in 2023, up 12 per cent.\n\nOfficials said 300 people were "
                f"evacuated from {token} district.\n"
            )
            return ["ingest", str(src)], kind, token
        return ["config", "set", "publisher.name", token], kind, token

    def typical(self, kind: str) -> float:
        """How long a run of this kind takes now: the median of its last five finished runs."""
        return median(self.durations[kind][-5:])

    def round(self, n: int) -> None:
        args, kind, token = self._command(n)
        delay = self.rng.uniform(*KILL_SHARE) * self.typical(kind)
        if self._run(args, kind, token, delay) == 0:
            self.finished += 1
        self.rounds += 1

    def _run(self, args: list[str], kind: str, token: str, delay: float | None) -> int:
        """Run one command, SIGKILL it after `delay` seconds; its exit status."""
        started = time.monotonic()
        proc = subprocess.Popen(
            [VERIFY, *args], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            code = proc.wait(timeout=delay)
            self.durations.setdefault(kind, []).append(time.monotonic() - started)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            self.killed += 1
            code = proc.wait()
        if code == 0:
            self.acknowledged.append((kind, token))
        if kind == "config":
            self.configs.append((token, code == 0))
        return code

    def problems(self) -> list[str]:
        """Acknowledged writes that are missing, and what `verify check` reports."""
        from verify.store import Store

        found: list[str] = []
        check = subprocess.run([VERIFY, "check"], env=self.env, capture_output=True, text=True)
        if check.returncode != 0:
            found.append(f"verify check failed: {check.stdout[-500:]} {check.stderr}")
        with Store.open(self.casebook, create=False) as store:
            addresses = {d.address for d in store.documents()}
            searchable = " ".join(t for (t,) in store.conn.execute("SELECT search FROM claims"))
            refs = {r.ref for r in store.summaries()}
            events = [e.after or {} for e in store.events()]
            latest_settings = store.settings().publisher_name
            for kind, token in self.acknowledged:
                if kind == "verdict":
                    claim_id, rationale = token.split(":")
                    if not any(
                        ev.get("id") == claim_id
                        and (ev.get("verdict") or {}).get("rationale") == rationale
                        for ev in events
                    ):
                        found.append(f"verdict {token} lost")
                elif kind == "import":
                    if f"{token}-0" not in refs:
                        found.append(f"import {token} lost")
                elif kind == "ingest" and (
                    f"{token}.txt" not in addresses or token.lower() not in searchable
                ):
                    # The document is archived, and its statements are in the casebook (as a
                    # new claim, or as accounts of the claim they matched).
                    found.append(f"ingest {token} lost")
            # The setting is the last acknowledged value, or one tried after it (a killed
            # `config set` may or may not have landed).
            acked = [i for i, (_, ok) in enumerate(self.configs) if ok]
            if acked:
                allowed = {t for t, _ in self.configs[acked[-1] :]}
                if latest_settings not in allowed:
                    found.append(f"setting lost: now {latest_settings!r}")
        return found


def run(folder: Path, rounds: int, seed: int = 0) -> Campaign:
    campaign = Campaign(folder, random.Random(seed))
    campaign.setup()
    for n in range(rounds):
        campaign.round(n)
    return campaign
