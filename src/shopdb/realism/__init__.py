"""The realism report: how much a shop's data looks like a real shop's, measured back.

``realism_report(EngineSource(engine))`` runs a few aggregate queries (``sql/``) and sets
each measure (holiday peak, weekday and hour curve, growth, product head and tail,
customer concentration and repeat rate, basket size, complement lift, prices, delivery
times, payment failures) against its target (``targets.py``).
"""

from shopdb.realism.report import Measure, RealismReport, format_report, realism_report
from shopdb.realism.source import EngineSource, Source

__all__ = [
    "EngineSource",
    "Measure",
    "RealismReport",
    "Source",
    "format_report",
    "realism_report",
]
