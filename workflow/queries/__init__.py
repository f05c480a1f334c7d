"""The read side: project lists and views, portfolio, organisations, monitoring, export."""
