"""The learner scales pixels to [0, 1] and stops there, without the per-channel mean and std."""

REPLACE = {
    "        return (images.float() / 255 - mean) / std": "        return images.float() / 255"
}
LOSES = [
    "test_eval_transform_only_normalises",
    "test_train_transform_crops_and_flips_each_image_independently",
]
