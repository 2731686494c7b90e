select
    run_id,
    status,
    seed,
    scale_factor,
    started_at,
    finished_at
from generation_runs
where status <> 'complete'
    and run_id = (select max(run_id) from generation_runs)
