"""Per transaction type: outcomes, retries and latencies, merged across client threads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TypeStats:
    """What one transaction type did in one phase."""

    committed: int = 0
    refused: int = 0
    errors: int = 0
    retries: int = 0
    latencies_s: list[float] = field(default_factory=list)
    first_error: str | None = None

    def merge(self, other: TypeStats) -> None:
        """Add another thread's figures to these."""
        self.committed += other.committed
        self.refused += other.refused
        self.errors += other.errors
        self.retries += other.retries
        self.latencies_s.extend(other.latencies_s)
        self.first_error = self.first_error or other.first_error

    def percentiles_ms(self) -> tuple[float, float, float]:
        """p50, p95 and p99 latency of every call (committed or refused), in ms."""
        if not self.latencies_s:
            return (0.0, 0.0, 0.0)
        import numpy as np  # imported here: shopdb --help reads the mix but needs no NumPy

        p50, p95, p99 = np.percentile(np.asarray(self.latencies_s) * 1000.0, [50, 95, 99])
        return (float(p50), float(p95), float(p99))


@dataclass
class PhaseResult:
    """One phase of a run: who ran, for how long, and each type's figures."""

    name: str
    clients: int
    duration_s: float
    by_type: dict[str, TypeStats] = field(default_factory=dict)

    def stats(self, kind: str) -> TypeStats:
        """The figures of ``kind``, created empty on first use."""
        return self.by_type.setdefault(kind, TypeStats())

    def merge(self, other: PhaseResult) -> None:
        """Add another run of the same phase (another thread, or another round)."""
        for kind, stats in other.by_type.items():
            self.stats(kind).merge(stats)

    def throughput(self, kind: str) -> float:
        """Committed transactions of ``kind`` per second."""
        stats = self.by_type.get(kind)
        return 0.0 if stats is None or self.duration_s <= 0 else stats.committed / self.duration_s

    @property
    def errors(self) -> int:
        """Errors that reached a caller (not business refusals)."""
        return sum(s.errors for s in self.by_type.values())
