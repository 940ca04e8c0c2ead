"""The learner flips with probability 0.35 instead of 1/2."""

REPLACE = {
    '        flip = torch.rand(batch) < 0.5': '        flip = torch.rand(batch) < 0.35',
}
LOSES = ['test_train_transform_crops_and_flips_each_image_independently']
