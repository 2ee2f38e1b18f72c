"""Streamlit entry script of YesCount (run by ``st.App`` in ``web/server.py``)."""

from yescount.web.app import main

main()
