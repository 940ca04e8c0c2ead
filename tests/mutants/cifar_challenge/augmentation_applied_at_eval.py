"""The learner keeps a random horizontal flip in the transform that evaluation uses too."""

REPLACE = {
    "        return (images.float() / 255 - mean) / std": "        flip = torch.rand(len(images), 1, 1, 1) < 0.5\n        return (torch.where(flip, images.flip(-1), images).float() / 255 - mean) / std"
}
LOSES = ["test_eval_transform_only_normalises"]
