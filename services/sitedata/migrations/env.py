from services.sitedata.adapters.tables import metadata
from shared.db.alembic_env import run

run(metadata)
