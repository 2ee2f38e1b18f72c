"""Streamlit script (placeholder until the web-app work lands)."""

import streamlit as st

st.set_page_config(page_title="YesCount", page_icon="🎉")
st.title("YesCount")
st.caption("Less texting. More going.")
st.info("The planning screens are on their way.")
