"""The OLTP workload driver behind ``shopdb bench oltp``.

``catalog`` reads what the driver may buy, ``stats`` keeps latencies, ``clients`` runs the
transaction mix through the services, ``baseline`` runs the same place-order transaction
on the bare DBAPI driver, ``verify`` checks what was acknowledged, ``seed`` fills an
empty database through the services.
"""
