#!/bin/bash
# Submit the coding job array (N shards) and the merge job that runs when every task succeeded.
# Usage: SHARDS=8 CORPUS=interviews CODEBOOK=codebooks/integrering.yaml ./submit.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export SHARDS=${SHARDS:-4}  # the tasks read it too, so a task run again alone keeps N

jobid=$(sbatch --parsable --array="1-$SHARDS" "$here/code.sbatch")
jobid=${jobid%%;*}  # "12345;cluster" on a federated cluster
merge=$(sbatch --parsable --dependency="afterok:$jobid" "$here/merge.sbatch")
echo "coding: job array $jobid (shards 1-$SHARDS); merge: job ${merge%%;*}"
