"""Rollups: summary tables kept exact by the services, read by the analytics.

``maintain.order_status_changed`` is the one call the services make; ``build`` rebuilds,
folds and reports them. The tables are in ``shopdb.db.rollup_schema``.
"""
