"""The YesCount look: palette, hero, cards, pills, heat-map tiers and focus rings (CSS only).

Colours that carry text always come as a background + foreground pair, so the
page reads the same in Streamlit's light and dark themes; everything else
inherits the theme's text colour. Nothing is smaller than 12 px.
"""

from __future__ import annotations

import streamlit as st

from yescount.web.components.hero import MARK_CSS

VIOLET = "#6D28D9"
MAGENTA = "#DB2777"
SKY = "#0284C7"
INK = "#111827"
PAPER = "#FFFFFF"
MIST = "#F3F4F6"

# Heat-map tiers (UI.md): (upper bound of the share, background, text colour).
HEAT_TIERS: tuple[tuple[float, str, str], ...] = (
    (0.0, MIST, INK),
    (0.25, "#DCFCE7", INK),
    (0.50, "#86EFAC", INK),
    (0.75, "#22C55E", INK),
    (1.0, "#15803D", PAPER),
)

GRADIENT = f"linear-gradient(135deg, {VIOLET} 0%, {MAGENTA} 55%, {SKY} 100%)"

CSS = f"""
<style>
:root {{ --yc-violet: {VIOLET}; --yc-magenta: {MAGENTA}; --yc-sky: {SKY}; }}
html, body, [class*="st-"] {{ font-size: max(12px, 1em); }}
/* Streamlit fades captions to 60 % opacity, under 4.5:1 on tinted boxes: fade less. */
[data-testid="stCaptionContainer"] {{ opacity: .8 !important; }}
/* The slider's value label uses the primary colour, too dim on dark: use the text colour. */
[data-testid="stSliderThumbValue"], [data-testid="stSliderThumbValue"] * {{
  color: inherit !important;
}}
*:focus-visible {{
  outline: 3px solid {MAGENTA} !important; outline-offset: 2px !important;
  border-radius: 6px;
}}
.yc-hero {{
  background: {GRADIENT}; color: {PAPER}; border-radius: 20px;
  padding: 1.6rem 1.8rem; margin-bottom: 1.2rem; position: relative; overflow: hidden;
}}
.yc-hero h1 {{ color: {PAPER}; font-size: 2.4rem; margin: 0; padding: 0; line-height: 1.1; }}
.yc-hero p {{ color: {PAPER}; font-size: 1.15rem; margin: .35rem 0 0 0; font-weight: 600; }}
.yc-hero.marked::after {{ content: ""; position: absolute; right: 1rem; top: 50%;
  transform: translateY(-50%); width: 96px; height: 96px; opacity: .9;
  background: {MARK_CSS} no-repeat; }}
.yc-hero.compact {{ padding: .8rem 1.2rem; border-radius: 14px; }}
.yc-hero.compact h1 {{ font-size: 1.5rem; }}
.yc-hero.compact p {{ font-size: .95rem; }}
.yc-card {{
  border: 1px solid rgba(128,128,128,.35); border-radius: 14px; overflow: hidden;
  margin-bottom: .35rem; background: rgba(128,128,128,.06);
}}
.yc-card img, .yc-card .yc-ph {{ display: block; width: 100%; aspect-ratio: 16 / 9;
  object-fit: cover; }}
.yc-card .yc-ph {{ background: {GRADIENT}; color: {PAPER}; display: flex;
  align-items: center; justify-content: center; font-size: 2rem; font-weight: 800; }}
.yc-card .yc-ph-bg {{ background: {GRADIENT}; }}
.yc-card .yc-ph-bg img {{ color: transparent; }}
.yc-card-body {{ padding: .7rem .85rem .6rem .85rem; }}
.yc-card h3 {{ font-size: 1.05rem; margin: 0 0 .25rem 0; padding: 0; line-height: 1.3; }}
.yc-meta {{ font-size: .875rem; margin: .1rem 0; }}
.yc-summary {{ font-size: .875rem; margin: .35rem 0; display: -webkit-box;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }}
.yc-pill {{ display: inline-block; background: {VIOLET}; color: {PAPER}; border-radius: 999px;
  padding: 1px 10px; margin: 2px 4px 2px 0; font-size: 12px; font-weight: 600; }}
.yc-pill.sky {{ background: #075985; }}
.yc-more {{ font-size: .875rem; color: inherit !important; text-decoration: underline;
  font-weight: 600; }}
.yc-badge {{ display: inline-block; border-radius: 999px; padding: 2px 12px; font-size: 13px;
  font-weight: 700; }}
.yc-badge.ok {{ background: #15803D; color: {PAPER}; }}
.yc-badge.wait {{ background: {MIST}; color: {INK}; }}
.yc-crumbs {{ font-size: .9rem; }}
.yc-heat {{ border-collapse: separate; border-spacing: 4px; width: 100%; max-width: 640px;
  table-layout: fixed; }}
.yc-heat th {{ font-size: 12px; font-weight: 700; text-align: center; }}
.yc-heat td {{ text-align: center; border-radius: 8px; padding: 4px 2px; min-width: 2.6rem;
  font-size: 13px; line-height: 1.25; vertical-align: top; }}
.yc-heat td.out {{ background: transparent; }}
.yc-heat td.blocked {{ background: repeating-linear-gradient(45deg, {MIST}, {MIST} 4px,
  #E5E7EB 4px, #E5E7EB 8px); color: {INK}; }}
.yc-heat .day {{ font-weight: 700; display: block; }}
.yc-heat .pin {{ display: inline-block; background: {INK}; color: {PAPER}; border-radius: 999px;
  padding: 0 6px; font-size: 12px; font-weight: 700; }}
.yc-legend span {{ display: inline-block; padding: 2px 8px; border-radius: 6px; margin-right: 4px;
  font-size: 12px; }}
.yc-sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }}
.yc-happening {{ background: {GRADIENT}; color: {PAPER}; border-radius: 16px;
  padding: 1rem 1.2rem; margin: .2rem 0 .8rem 0; }}
.yc-happening h2 {{ color: {PAPER}; font-size: 1.6rem; margin: .1rem 0 .3rem 0; padding: 0; }}
.yc-happening p {{ color: {PAPER}; margin: .1rem 0; font-weight: 600; }}
.yc-happening .yc-kicker {{ font-size: 1rem; text-transform: uppercase; letter-spacing: .04em; }}
/* The vote page's "Next" bar stays in view (fixed: Streamlit's layout defeats sticky). */
.st-key-yc-next {{ position: fixed; left: 0; right: 0; bottom: 0; z-index: 99;
  padding: .5rem 1rem; display: flex; justify-content: center;
  background: linear-gradient(to top, rgba(17,24,39,.35), rgba(17,24,39,0)); }}
.st-key-yc-next button {{ width: min(100%, 520px); min-height: 48px; }}
[data-testid="stMainBlockContainer"]:has(.st-key-yc-next) {{ padding-bottom: 6rem; }}
.yc-why summary {{ cursor: pointer; font-size: .875rem; text-decoration: underline; }}
.yc-pick {{ font-size: 1.1rem; font-weight: 700; margin: 0; }}
</style>
"""


def inject() -> None:
    """Add the stylesheet to the page (once per script run; style only: it takes no space)."""
    st.html(CSS)


def heat_tier(share: float) -> tuple[int, str, str]:
    """Tier index, background and text colour for an overlap share in [0, 1]."""
    if share <= 0:
        return 0, HEAT_TIERS[0][1], HEAT_TIERS[0][2]
    for index, (upper, background, text) in enumerate(HEAT_TIERS[1:], start=1):
        if share <= upper + 1e-9:
            return index, background, text
    return len(HEAT_TIERS) - 1, HEAT_TIERS[-1][1], HEAT_TIERS[-1][2]
