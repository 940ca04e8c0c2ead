"""The learner rounds a uniform float to draw crop offsets, so the two extreme shifts come half as often."""

REPLACE = {
    "        dy = torch.randint(0, 2 * CROP_PADDING + 1, (batch,))\n        dx = torch.randint(0, 2 * CROP_PADDING + 1, (batch,))": "        dy = (torch.rand(batch) * 2 * CROP_PADDING).round().long()\n        dx = (torch.rand(batch) * 2 * CROP_PADDING).round().long()",
}
LOSES = ["test_train_transform_crops_and_flips_each_image_independently"]
