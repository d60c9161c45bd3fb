"""Real `verify` processes writing to one casebook, killed with SIGKILL at random moments.

Each round starts one command (a verdict, an import, an ingest, a setting, a backup, a restore
of an earlier backup, or opening an older casebook, which migrates it), kills it after a
random delay, and records whether it had finished with success (acknowledged). After every
round there must be a casebook at the path; afterwards every acknowledged write must be in
it (an acknowledged restore takes it back to what its backup held) and `verify check` must
pass. A migration killed midway must leave the older casebook whole.
Used by the test suite (a few rounds) and bench/crash_campaign.py (hundreds).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ["verdict", "import", "ingest", "config", "backup", "restore", "migrate"]
WEIGHTS = [3, 2, 2, 2, 1, 1, 1]


@dataclass
class Snapshot:
    """What an acknowledged backup holds: the writes acknowledged before it."""

    acknowledged: list[tuple[str, str]]
    configs: list[tuple[str, bool]]
    head: tuple[int, str]


VERIFY = str(Path(sys.executable).parent / "verify")
SAMPLE = Path(__file__).resolve().parent.parent / "casebook" / "sample.casebook.json"
CLAIMS = ["c-2zjgpgfw", "c-65jxr4wr", "c-zx22sxj4", "c-v7naswc8", "c-7mte6d4n", "c-az7y8knn"]


@dataclass
class Campaign:
    folder: Path
    rng: random.Random
    acknowledged: list[tuple[str, str]] = field(default_factory=list)
    """(kind, token) of every write whose process exited 0 before it could be killed."""
    expected: list[tuple[str, str]] = field(default_factory=list)
    """The acknowledged writes the casebook must hold now (a restore takes some back)."""
    pace: float = 0.5
    """Seconds a plain command takes on this machine now, measured at setup."""
    configs: list[tuple[str, bool]] = field(default_factory=list)
    """Every `config set` tried, in order, and whether it was acknowledged."""
    killed: int = 0
    rounds: int = 0
    env: dict[str, str] = field(default_factory=dict)
    backups: dict[str, Snapshot] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    """Rounds per kind of command."""
    acked: dict[str, int] = field(default_factory=dict)
    """Commands per kind that finished with success before they could be killed."""
    trouble: list[str] = field(default_factory=list)
    """Problems seen between rounds (no casebook at the path, a migration left broken)."""
    template: Path | None = None
    """A casebook at the schema before the latest, for the migration rounds."""

    @property
    def finished(self) -> int:
        """Rounds whose process finished with success before its kill came."""
        return sum(self.acked.values())

    @property
    def casebook(self) -> Path:
        return self.folder / "crash.casebook"

    def setup(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "VERIFY_ACTOR": "crash", "VERIFY_CASEBOOK": str(self.casebook)}
        subprocess.run(
            [VERIFY, "import", str(SAMPLE)], env=self.env, check=True, capture_output=True
        )
        t0 = time.monotonic()
        subprocess.run([VERIFY, "config", "get"], env=self.env, check=True, capture_output=True)
        self.pace = time.monotonic() - t0
        from verify import portable
        from verify.migrations import LATEST
        from verify.store import Store

        self.template = self.folder / "template.casebook"
        with Store.open(self.template, migrate_to=LATEST - 1) as old:
            portable.import_casebook(old, json.loads(SAMPLE.read_text("utf-8")))

    def _command(self, n: int) -> tuple[list[str], str, str]:
        kind = self.rng.choices(KINDS, WEIGHTS)[0]
        token = f"t{n}x{self.rng.randrange(10**9)}"
        if kind == "restore" and not self.backups:
            kind = "backup"
        if kind == "backup":
            dest = self.folder / f"{token}.bak"
            return ["backup", str(dest)], kind, str(dest)
        if kind == "restore":
            backup = self.rng.choice(sorted(self.backups))
            return ["restore", backup], kind, backup
        if kind == "migrate":
            assert self.template is not None
            old = self.folder / "migrating.casebook"
            for stale in self.folder.glob("migrating.casebook*"):
                stale.unlink()
            shutil.copy(self.template, old)
            return ["--casebook", str(old), "list"], kind, str(old)
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
            if self.rng.random() < 0.5:
                return ["ingest", str(src)], kind, token
            # Two sources in one command: acknowledged means both were saved.
            second = self.folder / f"{token}-b.txt"
            second.write_text(
                f"The governor said on Tuesday that 40 schools in {token}-b district had "
                f"closed after 12 drones struck a power plant.\n"
            )
            return ["ingest", str(src), str(second)], kind, f"{token}|2"
        return ["config", "set", "publisher.name", token], kind, token

    def round(self, n: int) -> None:
        args, kind, token = self._command(n)
        env = self.env
        if kind == "migrate":
            env = {**self.env, "VERIFY_CASEBOOK": token}
        proc = subprocess.Popen(
            [VERIFY, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # Within a few times what a plain command takes now: most die mid-run, some finish.
        slow = kind in ("restore", "migrate", "backup", "import", "ingest")
        time.sleep(self.rng.uniform(0.05, self.pace * (6 if slow else 2.5)))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            self.killed += 1
        code = proc.wait()
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.acked[kind] = self.acked.get(kind, 0) + (code == 0)
        self.rounds += 1
        if not self.casebook.exists():
            self.trouble.append(f"round {n} ({kind}): no casebook at the path")
        if kind == "backup":
            if code == 0:
                self.backups[token] = Snapshot(
                    list(self.expected), list(self.configs), self._head(Path(token))
                )
        elif kind == "restore":
            snap = self.backups[token]
            if code == 0 or self._head(self.casebook) == snap.head:
                # Acknowledged, or killed after its one transaction landed: the casebook
                # is the backup now, and only what the backup held can be expected.
                self.expected = list(snap.acknowledged)
                self.configs = list(snap.configs)
        elif kind == "migrate":
            self._check_migrated(Path(token), n)
        else:
            if code == 0:
                self.acknowledged.append((kind, token))
                self.expected.append((kind, token))
            if kind == "config":
                self.configs.append((token, code == 0))

    def _head(self, path: Path) -> tuple[int, str]:
        from verify import digests
        from verify.store import Store

        with Store.open(path, create=False, readonly=True) as store:
            return digests.head(store.conn)

    def _check_migrated(self, path: Path, n: int) -> None:
        """Whether killed or not, the older casebook opens (migrating) with all its claims."""
        from verify.integrity import check
        from verify.store import Store

        want = len(json.loads(SAMPLE.read_text("utf-8"))["claims"])
        try:
            with Store.open(path, create=False) as store:
                damage = [f for f in check(store) if f.severity == "damage"]
                if store.count_claims() != want or damage:
                    self.trouble.append(f"round {n}: migrated casebook lost claims or {damage}")
        except Exception as exc:
            self.trouble.append(f"round {n}: migrated casebook does not open: {exc}")

    def problems(self) -> list[str]:
        """Acknowledged writes that are missing, and what `verify check` reports."""
        from verify.store import Store

        found: list[str] = list(self.trouble)
        self.trouble.clear()
        check = subprocess.run([VERIFY, "check"], env=self.env, capture_output=True, text=True)
        if check.returncode != 0:
            found.append(f"verify check failed: {check.stdout[-500:]} {check.stderr}")
        with Store.open(self.casebook, create=False) as store:
            addresses = {d.address for d in store.documents()}
            searchable = " ".join(t for (t,) in store.conn.execute("SELECT search FROM claims"))
            refs = {r.ref for r in store.summaries()}
            events = [e.after or {} for e in store.events()]
            latest_settings = store.settings().publisher_name
            for kind, token in self.expected:
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
                elif kind == "ingest" and any(
                    f"{name}.txt" not in addresses or name.lower() not in searchable
                    for name in _ingested(token)
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


def _ingested(token: str) -> list[str]:
    """The names of the files an ingest round wrote: one, or two for "TOKEN|2"."""
    base, _, two = token.partition("|")
    return [base, f"{base}-b"] if two else [base]


def run(folder: Path, rounds: int, seed: int = 0) -> Campaign:
    campaign = Campaign(folder, random.Random(seed))
    campaign.setup()
    for n in range(rounds):
        campaign.round(n)
    return campaign
