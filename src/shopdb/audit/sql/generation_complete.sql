select
    run_id,
    status,
    seed,
    scale_factor,
    started_at,
    finished_at
from generation_runs
where status <> 'complete'
