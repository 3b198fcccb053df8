# The service image: wheels and a virtualenv built in one stage, a slim non-root runtime in
# the next. `make docker-check` builds it; the README's Deployment section describes it.
FROM debian:bookworm-slim AS build
ARG EXTRAS=postgresql,mysql
# Where outbound HTTPS is re-signed, the signing CA (PEM text); empty everywhere else.
ARG PIP_CA_CERT=""
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN if [ -n "$PIP_CA_CERT" ]; then \
      printf '%s\n' "$PIP_CA_CERT" > /usr/local/share/ca-certificates/build-ca.crt \
      && update-ca-certificates; \
    fi
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY deploy/constraints.txt deploy/constraints.txt
# The pinned dependencies first: this layer is rebuilt only when the constraints change.
RUN python3 -m venv /opt/hexapi \
 && grep -v '^#' deploy/constraints.txt > /tmp/requirements.txt \
 && /opt/hexapi/bin/pip install --quiet -r /tmp/requirements.txt
COPY pyproject.toml README.md ./
COPY src src
RUN /opt/hexapi/bin/pip install --quiet --no-deps --constraint deploy/constraints.txt ".[$EXTRAS]" \
 && /opt/hexapi/bin/pip check \
 && /opt/hexapi/bin/pip freeze --exclude hexapi > /opt/hexapi/installed.txt \
 && /opt/hexapi/bin/pip uninstall --quiet --yes pip setuptools \
 && /opt/hexapi/bin/python -m compileall -q /opt/hexapi/lib

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/hexapi --no-create-home hexapi \
 && install -d -o hexapi -g hexapi -m 0700 /var/lib/hexapi
COPY --from=build /opt/hexapi /opt/hexapi
COPY deploy/gunicorn.conf.py deploy/docker/healthcheck.py /etc/hexapi/
# The root filesystem may be mounted read-only: instance data goes to the /var/lib/hexapi
# volume, temporary files to a tmpfs on /tmp, worker heartbeats to /dev/shm.
ENV PATH=/opt/hexapi/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    INSTANCE_PATH=/var/lib/hexapi \
    BIND=0.0.0.0:8000
WORKDIR /var/lib/hexapi
VOLUME /var/lib/hexapi
USER hexapi:hexapi
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python3", "/etc/hexapi/healthcheck.py"]
# gunicorn is PID 1: SIGTERM stops accepting and lets requests in flight finish
# (GRACEFUL_TIMEOUT), and it reaps its own workers.
ENTRYPOINT ["gunicorn", "-c", "/etc/hexapi/gunicorn.conf.py"]
CMD ["api.wsgi:app"]
