"""The Streamlit app's pieces: one module per tab, plus the helpers they share.

``app.py`` wires the tabs; each tab module turns ``kg`` results into Streamlit elements and
holds no logic of its own beyond shaping what it shows.
"""
