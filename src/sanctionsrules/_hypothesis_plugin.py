"""Registers sanctionsrules' strategies with Hypothesis, through the ``hypothesis`` entry point.

Hypothesis calls ``_register`` when it is imported, so ``st.from_type(Transfer)`` works in a user's tests without
importing ``sanctionsrules.strategies``. The strategies module itself loads only when a strategy is first drawn.
"""

from __future__ import annotations

__all__: list[str] = []


def _register() -> None:
    """Register a strategy for each model type a user may ask ``st.from_type`` for."""
    try:
        from hypothesis import strategies as st

        from sanctionsrules.model import ExemptionClaim, GoodsItem, Money, Party, Quantity, Transfer
    except Exception:  # a trimmed or broken install: register nothing, since Hypothesis must start regardless
        return

    def lazily(name: str) -> st.SearchStrategy[object]:
        def build() -> st.SearchStrategy[object]:
            from sanctionsrules import strategies

            made: st.SearchStrategy[object] = getattr(strategies, name)()
            return made

        return st.deferred(build)

    for model, name in (
        (Transfer, "transfers"),
        (Party, "parties"),
        (GoodsItem, "goods_items"),
        (Money, "money"),
        (Quantity, "quantities"),
        (ExemptionClaim, "exemption_claims"),
    ):
        st.register_type_strategy(model, lazily(name))
