from services.reports.adapters.tables import metadata
from shared.db.alembic_env import run

run(metadata)
