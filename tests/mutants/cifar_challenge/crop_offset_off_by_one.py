"""The learner draws crop offsets with torch.randint(0, 2 * pad), missing the largest shift."""

REPLACE = {
    '        dy = torch.randint(0, 2 * CROP_PADDING + 1, (batch,))\n        dx = torch.randint(0, 2 * CROP_PADDING + 1, (batch,))': '        dy = torch.randint(0, 2 * CROP_PADDING, (batch,))\n        dx = torch.randint(0, 2 * CROP_PADDING, (batch,))',
}
LOSES = ['test_train_transform_crops_and_flips_each_image_independently']
