"""What the project's web pages share (the association inbox, the web chat): protective headers
on every response and the supervisor's health check."""
