#!/usr/bin/env bash
# The run step of action.yml: `pinready check` into INPUT_OUTPUT_DIR (JSON
# always, for the verdict), then `pinready record` into its demo/ when
# INPUT_RECORD is true. Never fails itself: the exit code, the verdict and
# the paths go to GITHUB_OUTPUT, so the SARIF and the artifact are uploaded
# before the action's last step fails the job.
set -uo pipefail

out=${INPUT_OUTPUT_DIR:-pinready-report}
config=${INPUT_CONFIG:-pinready.yaml}
formats=${INPUT_FORMAT:-sarif,markdown,html,json}
[[ ,$formats, == *,json,* ]] || formats+=,json
extra=()
[[ -n ${INPUT_ARGS:-} ]] && read -r -a extra <<<"$INPUT_ARGS"
output() { echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

args=(check --config "$config" --format "$formats" --output-dir "$out" --fail-on "${INPUT_FAIL_ON:-blocker}")
[[ -n ${INPUT_ONLY:-} ]] && args+=(--only "$INPUT_ONLY")
status=0
pinready "${args[@]}" ${extra[@]+"${extra[@]}"} || status=$?

report=$out/report.json
[[ -f $report ]] || report=$out/summary.json # several configs
verdict=
if [[ -f $report ]]; then
  # The worst verdict in the file: one report's, or the worst app's.
  for v in likely-denied at-risk ready; do
    if grep -Eq "\"verdict\": *\"$v\"" "$report"; then verdict=$v; break; fi
  done
  output report-json "$report"
fi
[[ -d $out ]] && output report-dir "$out"
if [[ -f $out/report.sarif ]]; then output sarif "$out/report.sarif"; fi
if [[ -f $out/report.md && -n ${GITHUB_STEP_SUMMARY:-} ]]; then cat "$out/report.md" >>"$GITHUB_STEP_SUMMARY"; fi

if [[ ${INPUT_RECORD:-false} == true ]]; then
  rstatus=0
  pinready record --config "$config" --out "$out/demo" --fail-on never ${extra[@]+"${extra[@]}"} || rstatus=$?
  video=$(find "$out/demo" -maxdepth 1 -name 'demo.*' -type f 2>/dev/null | head -n1)
  [[ -n $video ]] && output video "$video"
  ((status == 0)) && status=$rstatus
fi

output verdict "$verdict"
output exit-code "$status"
echo "pinready: verdict ${verdict:-none}, exit code $status"
exit 0
