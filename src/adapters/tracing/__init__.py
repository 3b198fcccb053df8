"""OpenTelemetry spans of the service's own: use cases, and the trace id in log lines."""
