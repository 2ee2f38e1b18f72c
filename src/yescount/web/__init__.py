"""Web: the Streamlit UI and plain HTTP routes served by one process."""
