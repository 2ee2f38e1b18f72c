"""Reusable pieces of the Streamlit UI; every scraped string is escaped here."""
