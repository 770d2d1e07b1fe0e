"""Links between features: the chain from what people said to what changed because of it."""
