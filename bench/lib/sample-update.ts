// A TASK_RUNNING UPDATE event shaped as Mesos 1.12 sends it (from the
// recording test/fixtures/mesos-transcripts/05-kill.json), as JSON text, for
// the decoding benchmarks.
export function sampleRunningUpdate(taskId = '19d835-05-b-sleep'): string {
  return JSON.stringify({
    type: 'UPDATE',
    update: {
      status: {
        task_id: { value: taskId },
        state: 'TASK_RUNNING',
        source: 'SOURCE_EXECUTOR',
        agent_id: { value: 'eab525ee-5e1f-45be-bf32-1db6aa37e62d-S0' },
        executor_id: { value: taskId },
        timestamp: 1795532553.6952083,
        uuid: '/X8EoHIASK+k046lC32mNw==',
        container_status: {
          container_id: { value: 'badc06b6-b524-4345-b64a-63939405220a' },
          network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '127.0.0.1' }] }],
          executor_pid: 24156,
        },
      },
    },
  });
}
