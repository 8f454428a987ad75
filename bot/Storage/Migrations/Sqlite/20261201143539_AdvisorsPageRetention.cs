using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExportCenter.Bot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdvisorsPageRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RetainWith",
                table: "DirectLineActivities",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_DirectLineActivities_ConversationId_Timestamp",
                table: "DirectLineActivities",
                columns: new[] { "ConversationId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectLineActivities_RetainWith",
                table: "DirectLineActivities",
                column: "RetainWith");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DirectLineActivities_ConversationId_Timestamp",
                table: "DirectLineActivities");

            migrationBuilder.DropIndex(
                name: "IX_DirectLineActivities_RetainWith",
                table: "DirectLineActivities");

            migrationBuilder.DropColumn(
                name: "RetainWith",
                table: "DirectLineActivities");
        }
    }
}
