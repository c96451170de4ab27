"""Health, readiness and Prometheus metrics of every process (issue 17): counts and latencies only."""
