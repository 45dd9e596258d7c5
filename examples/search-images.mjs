// Finds machine images by platform and by a pattern in their name: `node search-images.mjs UBUNTU 12.04`.
import { MachineImage } from 'mixcoatl';

const platform = (process.argv[2] ?? 'UBUNTU').toUpperCase();
const words = process.argv[3] ?? '';

// find() makes ONE listing request; the platform and the name pattern are matched on its items.
const pattern = new RegExp(words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
const matches = await MachineImage.find({ platform, name: pattern });

console.log(`${matches.length} ${platform} images match /${pattern.source}/i`);
for (const image of matches) {
  // image.region is a lazy Region: its id is known, reading its name would load it.
  console.log(`${image.machineImageId}\t${image.architecture}\t${image.status}\tregion ${image.region.regionId}\t${image.name}`);
}
