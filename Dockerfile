# The stiwatch image: Airflow 3.3 + dbt-duckdb and dbt-spark + the stiwatch package, from the make pins.
#
# Why python:3.11-slim and not apache/airflow:3.3.2-python3.11: requirements.lock is the one pin set that
# `make test` and CI exercise; installing it on top of the official image would mix it with that image's
# own constraint set (different versions of pandas, SQLAlchemy, structlog, ...), which nothing here tests.
# The base is pinned to a Debian release; rebuild to pick up its security updates.
FROM python:3.11-slim-bookworm

ARG STIWATCH_UID=50000

ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    AIRFLOW_HOME=/opt/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/stiwatch/app/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    STIWATCH_DATA_DIR=/opt/stiwatch/data \
    DO_NOT_TRACK=1 \
    SCARF_ANALYTICS=false \
    AIRFLOW__USAGE_DATA_COLLECTION__ENABLED=False \
    AIRFLOW__COSMOS__ENABLE_TELEMETRY=False \
    DBT_SEND_ANONYMOUS_USAGE_STATS=False

# Group 0 as in the official Airflow image: the containers may run under any UID (AIRFLOW_UID) and
# still write what group 0 owns.
RUN useradd --uid "${STIWATCH_UID}" --gid 0 --home-dir /opt/airflow --create-home --shell /bin/bash stiwatch

WORKDIR /opt/stiwatch/app

# A Java runtime for STIWATCH_ENGINE=spark (pyspark's local session, docs/SCALE.md); unused under duckdb.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own layer: code changes do not reinstall them.
# --only-binary: dbt-core-experimental-parser has a wheel only for the pinned 2.0.0a4 (see STACK.md).
COPY requirements.lock ./
RUN python -m pip install --only-binary=dbt-core-experimental-parser -r requirements.lock

# Editable install on purpose: stiwatch finds dags/, dbt/ and expectations/ relative to its source folder.
COPY pyproject.toml README.md ./
COPY include ./include
COPY dags ./dags
COPY dbt ./dbt
COPY expectations ./expectations
COPY deploy/entrypoint.sh /usr/local/bin/stiwatch-entrypoint
RUN python -m pip install --no-deps -e . \
    && chmod 0755 /usr/local/bin/stiwatch-entrypoint \
    && mkdir -p /opt/stiwatch/data /opt/airflow/logs \
    && chown -R "${STIWATCH_UID}:0" /opt/stiwatch /opt/airflow \
    && chmod -R g+rwX /opt/stiwatch /opt/airflow

USER ${STIWATCH_UID}
ENTRYPOINT ["stiwatch-entrypoint"]
CMD ["airflow", "version"]
