// Finds machine images by platform and by a word in their name: `node search-images.mjs UBUNTU 12.04`.
import { MachineImage } from 'mixcoatl';

const platform = (process.argv[2] ?? 'UBUNTU').toUpperCase();
const word = (process.argv[3] ?? '').toLowerCase();

// The API filters by platform on the server side; the name is matched here.
const images = await MachineImage.all({ platform });
const matches = images.filter((image) => image.name.toLowerCase().includes(word));

console.log(`${matches.length} of ${images.length} ${platform} images match "${word}"`);
for (const image of matches) {
  // image.region is a lazy Region: its id is known, reading its name would load it.
  console.log(`${image.machineImageId}\t${image.architecture}\t${image.status}\tregion ${image.region.regionId}\t${image.name}`);
}
