"""The learner draws crop offsets with torch.randint(0, 2 * pad), missing the largest shift."""

REPLACE = {
    '        dy = torch.randint(0, 2 * CROP_PADDING + 1, (batch, 1))\n        dx = torch.randint(0, 2 * CROP_PADDING + 1, (batch, 1))': '        dy = torch.randint(0, 2 * CROP_PADDING, (batch, 1))\n        dx = torch.randint(0, 2 * CROP_PADDING, (batch, 1))',
}
LOSES = ['test_train_transform_crops_and_flips_each_image_independently']
