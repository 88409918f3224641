"""The example of docs/testing-your-pipeline.md, as it appears there: a user's pipeline must block every sample."""

from hypothesis import given

from sanctionsrules import Transfer, compile_rules, load_rules
from sanctionsrules.strategies import transfers

RULES = compile_rules(load_rules())  # compile once, check many


def my_pipeline_blocks(transfer: Transfer) -> bool:
    """Your own code: here, it stops any transfer the rules do not permit outright."""
    return not RULES.check(transfer).permitted


@given(transfers(violating="un-dprk.1718.8a-iii"))
def test_pipeline_blocks_luxury_goods_to_the_dprk(transfer: Transfer) -> None:
    assert my_pipeline_blocks(transfer)
